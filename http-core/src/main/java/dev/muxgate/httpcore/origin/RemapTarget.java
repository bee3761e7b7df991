package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.config.RemapRule;

/** Where one request goes: the origin and the request target to send it, after remap. */
public record RemapTarget(OriginKey origin, String uri, RemapRule rule) {
}
