package io.meshcp.shared.http;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.WireCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at /v3/api-docs, exact enough to generate a client from (docs/openapi.json is its committed
 * copy; {@code OpenApiDocumentTests} keeps the two equal):
 * <ul>
 * <li>each operation's id is its handler's name (a CSV twin shares its JSON sibling's), unique and meaningful;</li>
 * <li>every error an operation can answer is listed, as an RFC 9457 problem with the {@code Problem} schema;</li>
 * <li>the parameters the API requires are marked so, though it checks them itself to name every missing one;</li>
 * <li>parameters that take a fixed set of values list them;</li>
 * <li>secret keys secure the REST API, publishable keys the player endpoints.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String SECRET_KEY = "secretKey";

    static final String PUBLISHABLE_KEY = "publishableKey";

    static final String PROBLEM = "Problem";

    /** Values of query parameters that take a fixed set, by name (each means the same wherever it appears). */
    private static final Map<String, List<String>> VALUES = Map.of(
            "granularity", List.of("minute", "hour", "day"),
            "breakdown", List.of("stream", "rendition", "cohort", "device", "network", "nat"),
            "cohort", WireCode.codes(Cohort.class),
            "device", WireCode.codes(DeviceClass.class),
            "network", WireCode.codes(Network.class),
            "nat", WireCode.codes(NatType.class),
            "state", List.of("upcoming", "active", "past"));

    private static final String RETRY_AFTER = "#/components/headers/Retry-After";

    /** draft-ietf-httpapi-ratelimit-headers, on every REST API answer to a valid key. */
    private static final Map<String, String> RATE_LIMIT_HEADERS = new LinkedHashMap<>();

    static {
        RATE_LIMIT_HEADERS.put("RateLimit-Limit", "Requests the key may send at once (its bucket's size).");
        RATE_LIMIT_HEADERS.put("RateLimit-Remaining", "Requests left now.");
        RATE_LIMIT_HEADERS.put("RateLimit-Reset", "Seconds until the key's bucket is full again.");
        RATE_LIMIT_HEADERS.put("RateLimit-Policy", "The limit as '<requests>;w=<seconds>': that many requests per "
                + "that many seconds.");
    }

    /** The operations that answer 409: those that set a live event's window (or change a cancelled event). */
    private static final Set<String> CONFLICTING = Set.of("POST /api/v1/live-events", "PUT /api/v1/live-events/{id}");

    @Bean
    OpenAPI meshControlPlaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("mesh control plane API").version("v1").description(
                        "REST API for broadcasters. Authenticate with a secret key: 'Authorization: Bearer mesh_sk_...'. "
                                + "Errors are RFC 9457 problem details with stable 'type' URIs (docs/problems.md)."))
                // Relative, so the document is the same whichever host and port serve it.
                .servers(List.of(new Server().url("/")))
                .components(new Components()
                        .addSecuritySchemes(SECRET_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("mesh_sk_...")
                                .description("A secret API key created in the dashboard under API keys."))
                        .addSecuritySchemes(PUBLISHABLE_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.QUERY).name("key")
                                .description("A publishable key (mesh_pk_...), safe in web pages; the request's "
                                        + "Origin must be one of the key's allowed origins.")))
                .addSecurityItem(new SecurityRequirement().addList(SECRET_KEY));
    }

    /** Each operation's id: its handler method's name, the CSV twin taking its JSON sibling's. */
    @Bean
    OperationCustomizer operationIds() {
        return (operation, handler) -> operation.operationId(handler.getMethod().getName().replaceFirst("Csv$", ""));
    }

    @Bean
    OpenApiCustomizer exactDocument() {
        return document -> {
            // Added here, not with the components above: springdoc drops schemas no operation refers to yet.
            document.getComponents().addSchemas(PROBLEM, problemSchema());
            addHeaders(document.getComponents());
            playerVocabulary(document.getComponents().getSchemas().get("Heartbeat"));
            document.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> complete(path, method, operation)));
        };
    }

    /** The heartbeat's player fields take the player vocabulary's codes, as the same query parameters do. */
    private static void playerVocabulary(Schema<?> heartbeat) {
        for (String field : List.of("cohort", "device", "network", "nat")) {
            @SuppressWarnings("unchecked")
            Schema<String> property = (Schema<String>) heartbeat.getProperties().get(field);
            property.setEnum(VALUES.get(field));
        }
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        boolean player = path.startsWith("/v1/");
        if (player) {
            operation.setSecurity(path.equals("/v1/ping") ? List.of()
                    : List.of(new SecurityRequirement().addList(PUBLISHABLE_KEY)));
        }
        if (method == PathItem.HttpMethod.POST && path.startsWith("/api/")) {
            operation.addParametersItem(new Parameter().in("header").name("Idempotency-Key").required(false)
                    .description("Any unique value (a UUID): a retry with the same key and request gets the first "
                            + "answer again (Idempotent-Replayed: true) for 24 hours, never a second change.")
                    .schema(new StringSchema().maxLength(255).pattern("^[\\x21-\\x7E]{1,255}$")));
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        for (Parameter parameter : parameters) {
            List<String> values = VALUES.get(parameter.getName());
            if (values != null && "query".equals(parameter.getIn()) && parameter.getSchema() != null) {
                // The codes, not an enum's constant names; and a copy: springdoc shares one schema object among
                // parameters of the same type.
                StringSchema schema = new StringSchema();
                schema.setEnum(values);
                if (parameter.getSchema().getDefault() != null) {
                    schema.setDefault(parameter.getSchema().getDefault());
                }
                parameter.setSchema(schema);
            }
            // The API checks these itself so that one answer names every missing one; they are required all the same.
            if (path.startsWith("/api/v1/analytics/") && Set.of("from", "to").contains(parameter.getName())) {
                parameter.setRequired(true);
            }
            if ("If-Match".equalsIgnoreCase(parameter.getName())) {
                parameter.setRequired(true);
            }
        }
        ApiResponses responses = operation.getResponses();
        // A report asked for as CSV is text, whatever its JSON schema (a new entry: springdoc shares one between both).
        responses.values().stream().map(response -> response.getContent())
                .filter(content -> content != null && content.containsKey("text/csv"))
                .forEach(content -> content.addMediaType("text/csv",
                        new io.swagger.v3.oas.models.media.MediaType().schema(new StringSchema())));
        boolean takesInput = !parameters.isEmpty() || operation.getRequestBody() != null;
        if (takesInput) {
            problem(responses, "400", "The request is malformed or a value is invalid; `errors` names each field.");
        }
        if (path.equals("/v1/ping")) {
            // Answered from memory, to anyone: nothing can go wrong that the document could name.
            return;
        }
        problem(responses, "401", player ? "The publishable key is missing, unknown, revoked or expired."
                : "The secret key is missing, unknown, revoked or expired.");
        problem(responses, "403", player ? "The request's Origin is not one of the key's allowed origins."
                : "This key may not do that.");
        if (path.contains("{") || path.equals("/v1/client-config")) {
            problem(responses, "404", path.equals("/v1/client-config") ? "No such stream (or it is archived)."
                    : "No such resource in the key's organisation.");
        }
        if (operation.getRequestBody() != null) {
            problem(responses, "413", "The body is larger than the API takes.");
            problem(responses, "415", "The body is not JSON (or, for telemetry, text/plain JSON).");
        }
        if (CONFLICTING.contains(method + " " + path)) {
            problem(responses, "409", "The window overlaps another live event of the stream, or the event was "
                    + "cancelled; or the first request with this Idempotency-Key is still being processed.");
        }
        if (method == PathItem.HttpMethod.POST && path.startsWith("/api/")) {
            problem(responses, "409", "The first request with this Idempotency-Key is still being processed; "
                    + "Retry-After says when to ask again.");
            problem(responses, "422", "This Idempotency-Key was used for a different request in the last 24 hours.");
        }
        if (parameters.stream().anyMatch(p -> "If-Match".equalsIgnoreCase(p.getName()))) {
            problem(responses, "412", "If-Match is not the current version: someone saved first; `currentVersion` "
                    + "is the ETag to retry with.");
            problem(responses, "428", "If-Match is missing.");
        }
        problem(responses, "429", "Over the key's request rate; Retry-After says when to try again.");
        problem(responses, "503", "The database is unavailable or busy; Retry-After says when to try again.");
        responses.get("429").addHeaderObject("Retry-After", new Header().$ref(RETRY_AFTER));
        responses.get("503").addHeaderObject("Retry-After", new Header().$ref(RETRY_AFTER));
        if (!player) {
            // Every answer to a valid key tells its rate limit (ApiRateLimitFilter); a refused key spends nothing.
            responses.forEach((status, response) -> {
                if (!status.equals("401")) {
                    RATE_LIMIT_HEADERS.keySet().forEach(name -> response.addHeaderObject(name,
                            new Header().$ref("#/components/headers/" + name)));
                }
            });
        }
    }

    private static void addHeaders(Components components) {
        components.addHeaders("Retry-After", new Header().description("Seconds to wait before sending it again.")
                .schema(new IntegerSchema().minimum(BigDecimal.ONE)));
        RATE_LIMIT_HEADERS.forEach((name, description) -> components.addHeaders(name, new Header()
                .description(description).schema(name.equals("RateLimit-Policy") ? new StringSchema()
                        : new IntegerSchema().minimum(BigDecimal.ZERO))));
    }

    private static void problem(ApiResponses responses, String status, String description) {
        if (responses.containsKey(status)) {
            return;
        }
        responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                .addMediaType("application/problem+json", new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }

    // swagger-models types schema properties as raw Map<String, Schema>.
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Map<String, Schema> fieldError = new LinkedHashMap<>();
        fieldError.put("field", new StringSchema().description("The request field, parameter or header at fault."));
        fieldError.put("message", new StringSchema().description("What is wrong with it, and what it takes."));
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri").description("A stable URI for the kind of problem, "
                + "such as urn:meshcp:problem:validation (docs/problems.md)."));
        properties.put("title", new StringSchema().description("The kind of problem, in words."));
        properties.put("status", new IntegerSchema().description("The HTTP status."));
        properties.put("detail", new StringSchema().description("This occurrence, in words."));
        properties.put("instance", new StringSchema().format("uri-reference").description("The request's path."));
        properties.put("errors", new ArraySchema().items(new ObjectSchema().properties(fieldError)
                .required(List.of("field", "message"))).description("Every invalid field (validation problems)."));
        properties.put("currentVersion", new StringSchema().description("412 only: the ETag now in force."));
        return new ObjectSchema().properties(properties).required(List.of("type", "title", "status"))
                .description("An RFC 9457 problem detail.");
    }
}
