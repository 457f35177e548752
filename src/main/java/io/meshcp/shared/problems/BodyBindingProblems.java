package io.meshcp.shared.problems;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;

/**
 * Every field of a JSON request body that does not bind, in one answer: a value of the wrong type and an unknown
 * field are noted and passed over while Jackson reads the rest, and once the body is read the request is refused
 * naming all of them (400, nothing done). Without this, Jackson stops at the first, and a client fixes its request
 * one field per round trip.
 *
 * <p>Only while Spring MVC reads a {@code @RequestBody}: elsewhere (JSON from Redis, from the database) the handler
 * declines and Jackson fails as usual. A body that is not even the right shape at its root (an array for an object)
 * still fails as a whole. Rules on values (ranges, a window's order) are the services' to check, once every field
 * has the right type.
 */
@ControllerAdvice
class BodyBindingProblems extends RequestBodyAdviceAdapter {

    private static final String ATTRIBUTE = BodyBindingProblems.class.getName();

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        RequestContextHolder.currentRequestAttributes().setAttribute(ATTRIBUTE, new ArrayList<FieldError>(),
                RequestAttributes.SCOPE_REQUEST);
        return message;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        List<FieldError> problems = collected();
        RequestContextHolder.currentRequestAttributes().removeAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (problems != null && !problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return body;
    }

    /** The problems of the body being read now, or null when no request body is being read on this thread. */
    @SuppressWarnings("unchecked")
    private static List<FieldError> collected() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null ? null
                : (List<FieldError>) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }

    /** Registered with Boot's JSON mapper ({@link SharedConfiguration}). */
    static final class Handler extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                ValueDeserializer<?> deserializer, Object beanOrClass, String propertyName) {
            List<FieldError> problems = collected();
            if (problems == null) {
                return false;
            }
            String parent = path(parser.streamReadContext());
            String name = parent.endsWith(propertyName) ? parent : (parent.isEmpty() ? "" : parent + ".") + propertyName;
            problems.add(new FieldError(name, "is not a known field"));
            parser.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType, String value,
                String failure) {
            return note(context.getParser(), targetType);
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext context, Class<?> targetType, Number value,
                String failure) {
            return note(context.getParser(), targetType);
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext context, JavaType targetType, JsonToken token,
                JsonParser parser, String failure) {
            TokenStreamContext at = parser.streamReadContext();
            // On an array where a value was expected, the parser is already inside it: the array itself is at fault.
            if (parser.currentToken() == JsonToken.START_ARRAY && at.inArray()) {
                at = at.getParent();
            }
            Object noted = note(at, targetType.getRawClass());
            if (noted != NOT_HANDLED && parser.currentToken() != null && parser.currentToken().isStructStart()) {
                parser.skipChildren();
            }
            return noted;
        }

        private static Object note(JsonParser parser, Class<?> type) {
            return note(parser == null ? null : parser.streamReadContext(), type);
        }

        /** Notes the value at {@code at} as not of {@code type}; null takes its place meanwhile. */
        private static Object note(TokenStreamContext at, Class<?> type) {
            List<FieldError> problems = collected();
            String path = at == null ? "" : path(at);
            if (problems == null || path.isEmpty()) {
                return NOT_HANDLED;
            }
            problems.add(new FieldError(path, ApiExceptionHandler.expected(type)));
            return null;
        }

        /** Where the parser is, as the API names fields: {@code maxPeers.mobile}, {@code renditions[0].id}. */
        private static String path(TokenStreamContext context) {
            StringBuilder path = new StringBuilder();
            for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
                if (at.inArray()) {
                    // An array just opened (the value at fault is the array itself) has no element yet.
                    if (at.getCurrentIndex() >= 0) {
                        path.insert(0, "[" + at.getCurrentIndex() + "]");
                    }
                }
                else if (at.currentName() != null) {
                    path.insert(0, "." + at.currentName());
                }
            }
            return path.isEmpty() || path.charAt(0) != '.' ? path.toString() : path.substring(1);
        }
    }
}
