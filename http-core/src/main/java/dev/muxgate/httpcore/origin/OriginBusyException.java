package dev.muxgate.httpcore.origin;

/** Every connection to an origin is busy and too many requests already wait for one (503). */
public final class OriginBusyException extends Exception {

    private static final long serialVersionUID = 1L;

    public OriginBusyException(OriginKey origin, int waiting) {
        super(waiting < 0
                ? "origin " + origin + " had no free connection within the connect time-out"
                : "origin " + origin + " is at its connection limit with " + waiting + " requests waiting",
                null, false, false);
    }
}
