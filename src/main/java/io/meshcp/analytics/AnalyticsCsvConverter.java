package io.meshcp.analytics;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractGenericHttpMessageConverter;

/**
 * The analytics answers as CSV ({@link AnalyticsCsv}) for a client that asks for {@code text/csv}: each report is one
 * endpoint whose JSON and CSV are negotiated by {@code Accept}, and the CSV comes as a file to save. Writes only the
 * report types below, so any other answer (a problem detail, say) keeps its own format.
 */
final class AnalyticsCsvConverter extends AbstractGenericHttpMessageConverter<Object> {

    static final String TEXT_CSV = "text/csv";

    /** Ahead of the defaults, which would otherwise try to write the reports as text. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        ServerHttpMessageConvertersCustomizer analyticsCsv() {
            return converters -> converters.addCustomConverter(new AnalyticsCsvConverter());
        }
    }

    private record Export(String filename, Function<Object, String> csv) {
    }

    @SuppressWarnings("unchecked")
    private static final Map<ResolvableType, Export> EXPORTS = Map.of(
            listOf(Analytics.Point.class), new Export("timeseries.csv",
                    points -> AnalyticsCsv.timeseries((List<Analytics.Point>) points)),
            ResolvableType.forClass(Analytics.Summary.class), new Export("summary.csv",
                    summary -> AnalyticsCsv.summary((Analytics.Summary) summary)),
            listOf(Analytics.ReasonShare.class), new Export("ineligibility.csv",
                    reasons -> AnalyticsCsv.ineligibility((List<Analytics.ReasonShare>) reasons)),
            listOf(Analytics.ConcurrencyBand.class), new Export("concurrency.csv",
                    bands -> AnalyticsCsv.concurrency((List<Analytics.ConcurrencyBand>) bands)),
            listOf(Analytics.LiveEventReport.class), new Export("live-events.csv",
                    reports -> AnalyticsCsv.liveEvents((List<Analytics.LiveEventReport>) reports)));

    AnalyticsCsvConverter() {
        super(new MediaType("text", "csv"));
        setDefaultCharset(StandardCharsets.UTF_8);
    }

    private static ResolvableType listOf(Class<?> element) {
        return ResolvableType.forClassWithGenerics(List.class, element);
    }

    private static Export exportOf(Type type, Class<?> clazz) {
        // Asked about every answer of the application, first: the answers that cannot be reports leave at once.
        if (clazz != Analytics.Summary.class && !List.class.isAssignableFrom(clazz)) {
            return null;
        }
        ResolvableType resolved = type != null ? ResolvableType.forType(type) : ResolvableType.forClass(clazz);
        return EXPORTS.entrySet().stream().filter(export -> export.getKey().isAssignableFrom(resolved))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return exportOf(null, clazz) != null;
    }

    @Override
    public boolean canWrite(Type type, Class<?> clazz, MediaType mediaType) {
        return canWrite(mediaType) && exportOf(type, clazz) != null;
    }

    @Override
    public boolean canRead(Type type, Class<?> contextClass, MediaType mediaType) {
        return false;
    }

    @Override
    protected void writeInternal(Object report, Type type, HttpOutputMessage output) throws IOException {
        Export export = exportOf(type, report.getClass());
        if (export == null) {
            throw new IllegalStateException("not an analytics report: " + type);
        }
        output.getHeaders().setContentDisposition(ContentDisposition.attachment().filename(export.filename()).build());
        output.getBody().write(export.csv().apply(report).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Object read(Type type, Class<?> contextClass, HttpInputMessage input) {
        throw new UnsupportedOperationException("CSV is only written");
    }

    @Override
    protected Object readInternal(Class<?> clazz, HttpInputMessage input) {
        throw new UnsupportedOperationException("CSV is only written");
    }
}
