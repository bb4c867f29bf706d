package dev.bakeoff.shop.observability;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;

import org.slf4j.event.KeyValuePair;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLogFormatter;

/**
 * Spring Boot's structured console logging in the shape RULES.md §8 asks for: one JSON object a
 * line with {@code ts} (UTC), a lower-case {@code level}, the logger and message, then every
 * SLF4J key-value pair of the event as a field of its own (the access log's {@code method},
 * {@code route}, {@code status}, …). Selected by {@code logging.structured.format.console}.
 */
public class JsonLogFormat implements StructuredLogFormatter<ILoggingEvent> {

    private static final JsonWriter<ILoggingEvent> WRITER = JsonWriter.<ILoggingEvent>of(members -> {
        members.add("ts", ILoggingEvent::getInstant).as(Object::toString);
        members.add("level", event -> event.getLevel().toString().toLowerCase(Locale.ROOT));
        members.add("logger", ILoggingEvent::getLoggerName);
        members.add("message", ILoggingEvent::getFormattedMessage);
        members.from(ILoggingEvent::getKeyValuePairs).whenNotNull().usingPairs(JsonLogFormat::fields);
        members.add("stack_trace", ILoggingEvent::getThrowableProxy).whenNotNull().as(ThrowableProxyUtil::asString);
    }).withNewLineAtEnd();

    @Override
    public String format(ILoggingEvent event) {
        return WRITER.writeToString(event);
    }

    private static void fields(List<KeyValuePair> pairs, BiConsumer<String, Object> field) {
        pairs.forEach(pair -> field.accept(pair.key, pair.value));
    }
}
