package io.courier.rpc.benchmark;

/** A user's sex, as in the dubbo-benchmark workload. Thread-safe (an enum). */
public enum Sex {
    MALE,
    FEMALE,
    UNKNOWN
}
