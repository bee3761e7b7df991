package dev.muxgate.httpcore.balancer;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The peers allowed to name a connection's client in a PROXY protocol header: addresses and CIDR
 * blocks, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}). An IPv4 address
 * seen as IPv4-mapped IPv6 ({@code ::ffff:10.1.2.3}, as a dual-stack socket reports it) is matched
 * as IPv4. Immutable; literals only, so no entry ever costs a DNS lookup.
 */
public final class TrustedBalancers {

    private static final TrustedBalancers NONE = new TrustedBalancers(List.of(), List.of());

    private final List<String> entries;
    private final List<Block> blocks;

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private TrustedBalancers(List<String> entries, List<Block> blocks) {
        this.entries = entries;
        this.blocks = blocks;
    }

    public static TrustedBalancers none() {
        return NONE;
    }

    /**
     * Parses address and CIDR entries.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IP literal or CIDR
     *                                  block, or whose prefix length or host bits are wrong
     */
    public static TrustedBalancers of(List<String> entries) {
        List<Block> blocks = new ArrayList<>(entries.size());
        for (String entry : entries) {
            blocks.add(parse(entry.trim()));
        }
        return new TrustedBalancers(List.copyOf(entries), List.copyOf(blocks));
    }

    private static Block parse(String entry) {
        int slash = entry.indexOf('/');
        String literal = slash < 0 ? entry : entry.substring(0, slash);
        byte[] address = NetUtil.createByteArrayFromIpAddressString(literal);
        if (address == null) {
            throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR block");
        }
        address = unmapped(address);
        int max = address.length * 8;
        int bits = max;
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > max) {
                throw new IllegalArgumentException("\"" + entry + "\" has a prefix length that is not 0.." + max);
            }
            bits = Integer.parseInt(prefix);
        }
        Block block = new Block(address, bits);
        byte[] network = address.clone();
        for (int bit = bits; bit < max; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        if (!Arrays.equals(network, address)) {
            // 10.1.2.3/8 is most likely a typo for a host or for 10.0.0.0/8: say so rather than guess.
            throw new IllegalArgumentException("\"" + entry + "\" has host bits set past its prefix length");
        }
        return block;
    }

    /** Whether {@code peer} may name the client of its connections. */
    public boolean trusts(InetAddress peer) {
        if (peer == null || blocks.isEmpty()) {
            return false;
        }
        byte[] address = unmapped(peer.getAddress());
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The entries as written. */
    public List<String> entries() {
        return entries;
    }

    private static byte[] unmapped(byte[] address) {
        if (address.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return address;
                }
            }
            if (address[10] == (byte) 0xFF && address[11] == (byte) 0xFF) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedBalancers other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
