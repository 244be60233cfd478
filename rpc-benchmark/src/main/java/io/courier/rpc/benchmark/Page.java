package io.courier.rpc.benchmark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One page of a listing: its number, the total number of items, and the items on it.
 *
 * <p>Not thread-safe (a mutable bean with a no-arg constructor, for Kryo and hessian2).
 *
 * @param <T> the item type
 */
public final class Page<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private int pageNo;
    private int total;
    private List<T> result;

    /** Creates an empty page, for deserializers. */
    public Page() {
    }

    /** Creates a page. */
    public Page(int pageNo, int total, List<T> result) {
        this.pageNo = pageNo;
        this.total = total;
        this.result = result;
    }

    public int getPageNo() {
        return pageNo;
    }

    public void setPageNo(int pageNo) {
        this.pageNo = pageNo;
    }

    public int getTotal() {
        return total;
    }

    public void setTotal(int total) {
        this.total = total;
    }

    public List<T> getResult() {
        return result;
    }

    public void setResult(List<T> result) {
        this.result = result;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Page<?> p
                && pageNo == p.pageNo
                && total == p.total
                && Objects.equals(result, p.result);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageNo, total, result);
    }

    @Override
    public String toString() {
        return "Page[pageNo=" + pageNo + ", total=" + total + ", result=" + result + "]";
    }
}
