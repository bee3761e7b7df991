package dev.muxgate.httpcore.balancer;

import dev.muxgate.httpcore.config.ConfigSection;
import java.util.List;
import java.util.Set;

/**
 * Reads a listener's {@code proxy-protocol:} mapping ({@code mode}, {@code trusted},
 * {@code max-tlv-bytes}) into a {@link ProxyProtocolConfig}; absent keys are the defaults (off).
 */
public final class ProxyProtocolConfigReader {

    /** The key under a listener's section. */
    public static final String KEY = "proxy-protocol";

    static final Set<String> KEYS = Set.of("mode", "trusted", "max-tlv-bytes");

    private ProxyProtocolConfigReader() {
    }

    /** Reads {@code section} (an empty one gives {@link ProxyProtocolConfig#off()}). */
    public static ProxyProtocolConfig read(ConfigSection section) {
        section.rejectUnknownKeys(KEYS);
        ProxyProtocolConfig d = ProxyProtocolConfig.off();
        String modeName = section.string("mode", d.mode().configName()).trim();
        ProxyProtocolMode mode = ProxyProtocolMode.ofConfigName(modeName);
        if (mode == null) {
            throw section.error("mode", "expected off, optional or required, got \"" + modeName + "\"");
        }
        TrustedBalancers trusted = d.trusted();
        List<String> entries = section.strings("trusted");
        if (entries != null) {
            try {
                trusted = TrustedBalancers.of(entries);
            } catch (IllegalArgumentException e) {
                throw section.error("trusted", e.getMessage());
            }
        }
        int maxTlv = (int) section.size("max-tlv-bytes", d.maxTlvBytes(), ProxyProtocolConfig.MAX_TLV_BYTES);
        try {
            return new ProxyProtocolConfig(mode, trusted, maxTlv);
        } catch (IllegalArgumentException e) {
            throw section.error(mode != ProxyProtocolMode.OFF && trusted.isEmpty() ? "trusted" : "mode", e.getMessage());
        }
    }
}
