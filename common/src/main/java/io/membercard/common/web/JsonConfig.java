package io.membercard.common.web;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonGenerator.Feature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;

import io.membercard.common.api.ApiException;
import io.membercard.common.time.Dates;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * One JSON dialect for every service: exact decimals, no silent truncation of {@code 9.5} into an int, and dates
 * as {@code yyyy-MM-dd HH:mm:ss} in the tenant's zone.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {
    static final String TIME_ZONE_KEY = "membercard.common.time-zone";
    static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";

    /**
     * The zone is read when the first date is written, not here: Hibernate builds the ObjectMapper at static init,
     * before runtime configuration exists.
     */
    private final Supplier<ZoneId> zone = new Supplier<>() {
        private volatile ZoneId resolved;

        @Override
        public ZoneId get() {
            ZoneId value = resolved;
            if (value == null) {
                value = ZoneId.of(ConfigProvider.getConfig().getOptionalValue(TIME_ZONE_KEY, String.class)
                        .orElse(DEFAULT_TIME_ZONE));
                resolved = value;
            }
            return value;
        }
    };

    /** Runs after Quarkus' own customizers, so these date (de)serializers win over the JSR-310 module's. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        // Money read into a tree (event payloads) keeps its two decimals.
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        SimpleModule dates = new SimpleModule("membercard-dates");
        dates.addSerializer(Instant.class, new InstantSerializer(zone));
        dates.addDeserializer(Instant.class, new InstantDeserializer(zone));
        mapper.registerModule(dates);
    }

    static final class InstantSerializer extends StdScalarSerializer<Instant> {
        private static final long serialVersionUID = 1L;
        private final transient Supplier<ZoneId> zone;

        InstantSerializer(Supplier<ZoneId> zone) {
            super(Instant.class);
            this.zone = zone;
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Dates.format(value, zone.get()));
        }
    }

    static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;
        private final transient Supplier<ZoneId> zone;

        InstantDeserializer(Supplier<ZoneId> zone) {
            super(Instant.class);
            this.zone = zone;
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String field = parser.currentName() == null ? "date" : parser.currentName();
            try {
                return Dates.parseStart(field, parser.getValueAsString(), zone.get());
            } catch (ApiException e) {
                // The refusal rides along: the answer says what is wrong with the date (malformed, out of range).
                var invalid = com.fasterxml.jackson.databind.exc.InvalidFormatException.from(parser, e.getMessage(),
                        parser.getValueAsString(), Instant.class);
                invalid.initCause(e);
                throw invalid;
            }
        }
    }
}
