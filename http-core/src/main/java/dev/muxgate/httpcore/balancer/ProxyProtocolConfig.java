package dev.muxgate.httpcore.balancer;

import java.util.Objects;

/**
 * One listener's PROXY protocol setting ({@code proxy-protocol:} under {@code tls} or
 * {@code listeners.http}): the mode, the balancers trusted to name the client, and how many bytes
 * of v2 TLVs a header may carry. Validated when built.
 *
 * @param mode         off, optional or required
 * @param trusted      peers whose headers are believed; must not be empty unless the mode is off
 * @param maxTlvBytes  v2 bytes past the address block (TLVs), 0..{@link #MAX_TLV_BYTES}; a longer
 *                     header closes the connection
 */
public record ProxyProtocolConfig(ProxyProtocolMode mode, TrustedBalancers trusted, int maxTlvBytes) {

    /** The v2 length field is 16 bits and the largest address block (AF_UNIX) takes 216 of it. */
    public static final int MAX_TLV_BYTES = 65535 - 216;
    /** Room for what HAProxy and nginx send (ALPN, authority, unique id, SSL facts), well under a page. */
    public static final int DEFAULT_MAX_TLV_BYTES = 2048;

    public ProxyProtocolConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trusted, "trusted");
        if (maxTlvBytes < 0 || maxTlvBytes > MAX_TLV_BYTES) {
            throw new IllegalArgumentException("max-tlv-bytes must be 0.." + MAX_TLV_BYTES + ", got " + maxTlvBytes);
        }
        if (mode != ProxyProtocolMode.OFF && trusted.isEmpty()) {
            throw new IllegalArgumentException("mode " + mode.configName()
                    + " needs at least one trusted balancer address (trusted: [10.0.0.0/8, ...])");
        }
    }

    /** The default: no header is read. */
    public static ProxyProtocolConfig off() {
        return new ProxyProtocolConfig(ProxyProtocolMode.OFF, TrustedBalancers.none(), DEFAULT_MAX_TLV_BYTES);
    }

    public boolean enabled() {
        return mode != ProxyProtocolMode.OFF;
    }
}
