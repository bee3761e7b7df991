package dev.muxgate.httpcore.balancer;

import java.util.Locale;

/** Whether a listener reads a PROXY protocol header (v1 or v2) in front of each connection. */
public enum ProxyProtocolMode {
    /** No header is read: the socket's peer is the client, and a header is just bytes of the protocol. */
    OFF,
    /** A header is read when a trusted balancer sends one; connections without one go on as they are. */
    OPTIONAL,
    /** Every connection must start with a header from a trusted balancer, or it is closed. */
    REQUIRED;

    /** The name used in the configuration file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code off}, {@code optional} or {@code required}; null for any other name. */
    public static ProxyProtocolMode ofConfigName(String name) {
        for (ProxyProtocolMode mode : values()) {
            if (mode.configName().equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
