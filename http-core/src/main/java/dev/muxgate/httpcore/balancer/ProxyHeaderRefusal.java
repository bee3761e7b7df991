package dev.muxgate.httpcore.balancer;

/**
 * Why a connection was closed before its PROXY protocol header was accepted: the {@code reason}
 * tag of the refusal counter.
 */
public enum ProxyHeaderRefusal {
    /** A header (or, where one is required, any connection) from a peer not on the trusted list. */
    UNTRUSTED("untrusted"),
    /** No header where the listener requires one. */
    MISSING("missing"),
    /** A header that does not parse (bad signature, version, command, family, addresses, TLVs). */
    MALFORMED("malformed"),
    /** A header longer than the limit: a v1 line past 107 bytes, or v2 TLVs past {@code max-tlv-bytes}. */
    OVERSIZED("oversized"),
    /** The header did not arrive in full within the listener's timeout (slowloris). */
    TIMEOUT("timeout");

    private final String tag;

    ProxyHeaderRefusal(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
