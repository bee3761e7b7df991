package dev.muxgate.logtools;

/**
 * One client session as both logs name it: the negotiated protocol (the access log's
 * {@code pitag}, the session log's {@code protocol}) and the session number ({@code piid},
 * {@code number}). Transactions with no tag or id 0 all fall under {@link #UNTAGGED}.
 */
record SessionKey(String protocol, long id) implements java.io.Serializable {

    static final String UNTAGGED_PROTOCOL = "untagged";
    static final SessionKey UNTAGGED = new SessionKey(UNTAGGED_PROTOCOL, 0);

    boolean untagged() {
        return this.equals(UNTAGGED);
    }

    // Written out rather than the record's own: those are bootstrapped on their first call (about
    // 15 ms of a run, once every session's tally becomes an object), and these are the same.
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && id == k.id && java.util.Objects.equals(protocol, k.protocol);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(protocol) * 31 + Long.hashCode(id);
    }
}
