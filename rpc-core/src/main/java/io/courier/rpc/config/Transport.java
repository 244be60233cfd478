package io.courier.rpc.config;

import io.courier.rpc.InvalidOptionException;
import io.netty.channel.epoll.Epoll;

/** The network transport under a server's or client's connections. */
public enum Transport {

    /** Native epoll where it loads (Linux), NIO otherwise: the default. */
    AUTO,

    /** Native epoll; refused by the options' builder where it does not load. */
    EPOLL,

    /** The JDK's NIO, everywhere: for diagnosis, or where a native library is unwanted. */
    NIO;

    /** Whether connections use epoll: {@link #EPOLL}, or {@link #AUTO} where epoll loads. */
    public boolean usesEpoll() {
        return this == EPOLL || (this == AUTO && Epoll.isAvailable());
    }

    static Transport check(String option, Transport transport) {
        if (transport == null) {
            throw new InvalidOptionException(option, null, "AUTO, EPOLL or NIO");
        }
        if (transport == EPOLL && !Epoll.isAvailable()) {
            throw new InvalidOptionException(option, transport, "is not available here ("
                    + Epoll.unavailabilityCause() + ")", "AUTO or NIO");
        }
        return transport;
    }
}
