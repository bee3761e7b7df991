package dev.muxgate.httpcore.connect;

import java.net.SocketAddress;

/**
 * The address a plugin connection shows when no real client address was given: names the plugin,
 * never an internal IP that a log reader could take for a client.
 */
public final class PluginAddress extends SocketAddress {

    private static final long serialVersionUID = 1L;

    private final String tag;
    private final long id;

    public PluginAddress(String tag, long id) {
        this.tag = tag;
        this.id = id;
    }

    public String tag() {
        return tag;
    }

    public long id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginAddress other && id == other.id && java.util.Objects.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(tag, id);
    }

    @Override
    public String toString() {
        return "plugin:" + (tag == null ? "-" : tag) + '#' + id;
    }
}
