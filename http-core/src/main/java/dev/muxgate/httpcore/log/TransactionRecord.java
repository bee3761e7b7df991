package dev.muxgate.httpcore.log;

/**
 * What one transaction leaves behind for its access-log line: filled in on the event loop while
 * the transaction runs, then handed to the log writer, after which the proxy never touches it.
 * Unset text is {@code null} and unset numbers are {@code 0}; the format decides how each prints.
 */
public final class TransactionRecord {

    /**
     * Why a transaction ended, as ATS's {@code crc} (cache result code) names it. New values go
     * last, so the order of the old ones never changes.
     */
    public enum Result {
        TCP_MISS, ERR_CLIENT_ABORT, ERR_CONNECT_FAIL, ERR_READ_TIMEOUT, ERR_CLIENT_READ_ERROR,
        ERR_INVALID_REQ, ERR_NO_REMAP, ERR_ORIGIN_ERROR, ERR_ORIGIN_BUSY, INTERNAL,
        /** The origin's name did not resolve (ATS: the same name). */
        ERR_DNS_FAIL
    }

    private long startEpochMillis;
    private long startNanos;
    private long endNanos;
    private String clientIp;
    private int clientPort;
    private String pluginTag;
    private long pluginId;
    private long connectionId;
    private long streamId;
    private long requestId;
    private String method;
    private String url;
    private String protocolVersion;
    private long requestBodyBytes;
    private int proxyStatus;
    private long proxyBodyBytes;
    private int serverStatus;
    private String serverHost;
    private String secureProtocol;
    private String tlsVersion;
    private String tlsCipher;
    private Result result = Result.TCP_MISS;
    private String reason;

    public long startEpochMillis() { return startEpochMillis; }
    public TransactionRecord startEpochMillis(long v) { startEpochMillis = v; return this; }
    public long startNanos() { return startNanos; }
    public TransactionRecord startNanos(long v) { startNanos = v; return this; }
    public long endNanos() { return endNanos; }
    public TransactionRecord endNanos(long v) { endNanos = v; return this; }
    /** Milliseconds from start to end, never negative. */
    public long elapsedMillis() { return Math.max(0, (endNanos - startNanos) / 1_000_000); }
    public String clientIp() { return clientIp; }
    public TransactionRecord clientIp(String v) { clientIp = v; return this; }
    public int clientPort() { return clientPort; }
    public TransactionRecord clientPort(int v) { clientPort = v; return this; }
    public String pluginTag() { return pluginTag; }
    public TransactionRecord pluginTag(String v) { pluginTag = v; return this; }
    public long pluginId() { return pluginId; }
    public TransactionRecord pluginId(long v) { pluginId = v; return this; }
    public long connectionId() { return connectionId; }
    public TransactionRecord connectionId(long v) { connectionId = v; return this; }
    public long streamId() { return streamId; }
    public TransactionRecord streamId(long v) { streamId = v; return this; }
    public long requestId() { return requestId; }
    public TransactionRecord requestId(long v) { requestId = v; return this; }
    public String method() { return method; }
    public TransactionRecord method(String v) { method = v; return this; }
    public String url() { return url; }
    public TransactionRecord url(String v) { url = v; return this; }
    public String protocolVersion() { return protocolVersion; }
    public TransactionRecord protocolVersion(String v) { protocolVersion = v; return this; }
    public long requestBodyBytes() { return requestBodyBytes; }
    public TransactionRecord requestBodyBytes(long v) { requestBodyBytes = v; return this; }
    public int proxyStatus() { return proxyStatus; }
    public TransactionRecord proxyStatus(int v) { proxyStatus = v; return this; }
    public long proxyBodyBytes() { return proxyBodyBytes; }
    public TransactionRecord proxyBodyBytes(long v) { proxyBodyBytes = v; return this; }
    public int serverStatus() { return serverStatus; }
    public TransactionRecord serverStatus(int v) { serverStatus = v; return this; }
    public String serverHost() { return serverHost; }
    public TransactionRecord serverHost(String v) { serverHost = v; return this; }
    public String secureProtocol() { return secureProtocol; }
    public TransactionRecord secureProtocol(String v) { secureProtocol = v; return this; }
    public String tlsVersion() { return tlsVersion; }
    public TransactionRecord tlsVersion(String v) { tlsVersion = v; return this; }
    public String tlsCipher() { return tlsCipher; }
    public TransactionRecord tlsCipher(String v) { tlsCipher = v; return this; }
    public Result result() { return result; }
    public TransactionRecord result(Result v) { result = v; return this; }
    public String reason() { return reason; }
    public TransactionRecord reason(String v) { reason = v; return this; }
}
