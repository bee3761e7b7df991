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
}
