package io.courier.rpc.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Narrows the endpoints of a call by tag, for gray releases: a call asking for a tag (e.g.
 * {@code canary}) goes to providers carrying it; a call asking for none goes to untagged
 * providers, so canaries receive only the traffic that asks for them.
 *
 * <p>Thread-safe (immutable).
 */
final class TagRouter {

    /** Attachment with which a single call asks for a tag, overriding the reference's. */
    static final String TAG_ATTACHMENT = io.courier.rpc.RpcContext.TAG_ATTACHMENT;

    private final boolean fallbackToUntagged;

    TagRouter(boolean fallbackToUntagged) {
        this.fallbackToUntagged = fallbackToUntagged;
    }

    /**
     * Returns the endpoints a call may use.
     *
     * @param tag the requested tag, or null/empty for none
     */
    List<Endpoint> route(List<Endpoint> endpoints, String tag) {
        boolean anyTagged = false;
        for (Endpoint e : endpoints) {
            anyTagged |= !e.tags().isEmpty();
        }
        if (!anyTagged && (tag == null || tag.isEmpty())) {
            return endpoints;
        }
        List<Endpoint> untagged = new ArrayList<>(endpoints.size());
        List<Endpoint> matching = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            if (e.tags().isEmpty()) {
                untagged.add(e);
            } else if (tag != null && e.tags().contains(tag)) {
                matching.add(e);
            }
        }
        if (tag == null || tag.isEmpty()) {
            // Only tagged providers exist: serve the call rather than refuse it.
            return untagged.isEmpty() ? endpoints : untagged;
        }
        if (!matching.isEmpty()) {
            return matching;
        }
        return fallbackToUntagged ? untagged : List.of();
    }
}
