package dev.muxgate.httpcore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code logs.access.syntax} and {@code logs.access.syslog}: values, defaults, and errors naming line and key. */
class LogDeliveryConfigTest {

    private static AccessLogConfig read(String yaml) {
        return CoreConfigReader.read(ConfigDocument.parse("gateway.yaml", yaml).root()).accessLog();
    }

    @Test
    void defaultsAreTextAndNoSyslog() {
        AccessLogConfig log = read("");
        assertEquals(LogSyntax.TEXT, log.syntax());
        assertFalse(log.syslog().enabled());
    }

    @Test
    void jsonAndSyslogOverTcpAreRead() {
        AccessLogConfig log = read("logs:\n  access:\n    syntax: json\n    syslog:\n      enabled: true\n"
                + "      address: logs.example:6514\n      transport: tcp\n      facility: local3\n      app-name: edge\n");
        assertEquals(LogSyntax.JSON, log.syntax());
        assertEquals(new SyslogConfig(true, "logs.example", 6514, true, 19, "edge", 65536), log.syslog());
    }

    @Test
    void badValuesNameTheirLineAndKey() {
        ConfigException syntax = assertThrows(ConfigException.class, () -> read("logs:\n  access:\n    syntax: xml\n"));
        assertTrue(syntax.getMessage().startsWith("gateway.yaml:3: logs.access.syntax: expected text or json"),
                syntax.getMessage());
        ConfigException address = assertThrows(ConfigException.class,
                () -> read("logs:\n  access:\n    syslog:\n      address: nowhere\n"));
        assertTrue(address.getMessage().startsWith("gateway.yaml:4: logs.access.syslog.address: expected host:port"),
                address.getMessage());
        ConfigException port = assertThrows(ConfigException.class,
                () -> read("logs:\n  access:\n    syslog:\n      address: h:0\n"));
        assertTrue(port.getMessage().startsWith("gateway.yaml:4: logs.access.syslog.address: port must be 1..65535"),
                port.getMessage());
        ConfigException transport = assertThrows(ConfigException.class,
                () -> read("logs:\n  access:\n    syslog:\n      transport: sctp\n"));
        assertTrue(transport.getMessage().startsWith("gateway.yaml:4: logs.access.syslog.transport:"), transport.getMessage());
        ConfigException json = assertThrows(ConfigException.class,
                () -> read("logs:\n  access:\n    syntax: json\n    format: \"just text\"\n"));
        assertTrue(json.getMessage().startsWith("gateway.yaml:4: logs.access.format: access log format names no field"),
                json.getMessage());
    }
}
