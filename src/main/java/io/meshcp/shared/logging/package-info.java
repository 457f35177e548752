/**
 * The log output itself made safe, whoever logs (our code, Spring, Tomcat): {@code logback-spring.xml} keeps Spring
 * Boot's console and file logging and its {@code logging.*} properties, but every message and every exception message
 * in a stack trace is escaped (one event, one line; frames keep their own lines) and redacted by
 * {@link io.meshcp.shared.LogSafe}'s one set of patterns, in the plain format and in Boot's structured (JSON) formats.
 * Lines marked {@link io.meshcp.shared.LogSafe#SHOWN_ONCE} are escaped but not redacted. The converters and the
 * encoder are public because Logback instantiates them by name.
 */
package io.meshcp.shared.logging;
