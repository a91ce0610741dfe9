package io.pitaya.spring.internal.docs;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.pitaya.spring.internal.component.HandlerMethod;
import io.pitaya.spring.internal.component.MethodRegistry;
import org.springframework.beans.BeanUtils;

/**
 * This server's routes as pitaya's {@code docgenerator} renders them (with pointer names), so that
 * pitaya's tools read them: {@code {"handlers": {route: {"input": …, "output": […, "error"]}}, "remotes": {…}}}.
 *
 * <p>A protobuf message is an object with one key, {@code "*<full name>"}, whose value maps each field to its
 * type; pitaya's ProtoClient asks the descriptors route for every such name. Other payloads (records, POJOs)
 * are their fields without that key. Scalars are named as Go names them ({@code string}, {@code int32},
 * {@code float64}, {@code []byte}), lists are one-element arrays, and every method's output ends with
 * {@code "error"}, as a Go handler's {@code (T, error)} does.
 */
public final class Documentation {

    private Documentation() {
    }

    /**
     * @param serverType the server type, first part of every route
     * @param handlers this server's handlers
     * @param remotes this server's remotes
     * @return the documentation, routes sorted
     */
    public static Map<String, Object> of(String serverType, MethodRegistry handlers, MethodRegistry remotes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("handlers", routes(serverType, handlers.all()));
        doc.put("remotes", routes(serverType, remotes.all()));
        return doc;
    }

    private static Map<String, Object> routes(String serverType, Collection<HandlerMethod> methods) {
        Map<String, Object> routes = new TreeMap<>();
        for (HandlerMethod method : methods) {
            routes.put(serverType + "." + method.name(), method(method));
        }
        return routes;
    }

    private static Map<String, Object> method(HandlerMethod method) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("input", method.payloadType() == null ? null : type(method.payloadType(), new HashSet<>()));
        List<Object> output = new ArrayList<>();
        if (method.returnsValue()) {
            output.add(type(method.method().getGenericReturnType(), new HashSet<>()));
        }
        output.add("error");
        doc.put("output", output);
        return doc;
    }

    /**
     * @param type a payload or answer type
     * @param path types being described above this one (recursive types end there)
     * @return its documentation
     */
    static Object type(Type type, Set<String> path) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] args = parameterized.getActualTypeArguments();
            if (CompletionStage.class.isAssignableFrom(raw) || Optional.class == raw) {
                return type(args[0], path);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return List.of(type(args[0], path));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "map[" + name(args[0]) + "]" + name(args[1]);
            }
            return type(raw, path);
        }
        if (type instanceof GenericArrayType array) {
            return List.of(type(array.getGenericComponentType(), path));
        }
        if (!(type instanceof Class<?> c)) {
            return "interface {}";
        }
        if (c == byte[].class) {
            return "[]byte";
        }
        if (c.isArray()) {
            return List.of(type(c.getComponentType(), path));
        }
        if (Message.class.isAssignableFrom(c)) {
            return message(descriptor(c), path);
        }
        String scalar = scalar(c);
        if (scalar != null) {
            return scalar;
        }
        if (Map.class.isAssignableFrom(c)) {
            return "map[string]interface {}";
        }
        if (Collection.class.isAssignableFrom(c)) {
            return List.of("interface {}");
        }
        if (c.getName().startsWith("java.") || !path.add(c.getName())) {
            return c.getSimpleName();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                fields.put(component.getName(), type(component.getGenericType(), path));
            }
        } else {
            for (var property : BeanUtils.getPropertyDescriptors(c)) {
                if (property.getReadMethod() != null && !"class".equals(property.getName())) {
                    fields.put(property.getName(), type(property.getReadMethod().getGenericReturnType(), path));
                }
            }
        }
        path.remove(c.getName());
        return fields;
    }

    private static String name(Type type) {
        Object doc = type(type, new HashSet<>());
        if (doc instanceof String s) {
            return s;
        }
        return type instanceof Class<?> c && Message.class.isAssignableFrom(c) ? "*" + descriptor(c).getFullName() : "interface {}";
    }

    private static Map<String, Object> message(Descriptor descriptor, Set<String> path) {
        String key = "*" + descriptor.getFullName();
        if (!path.add(descriptor.getFullName())) {
            return Map.of(key, Map.of()); // recursive: the name is enough to ask for the descriptor
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldDescriptor field : descriptor.getFields()) {
            fields.put(field.getName(), field(field, path));
        }
        path.remove(descriptor.getFullName());
        return Map.of(key, fields);
    }

    private static Object field(FieldDescriptor field, Set<String> path) {
        if (field.isMapField()) {
            Descriptor entry = field.getMessageType();
            return "map[" + single(entry.findFieldByNumber(1), path) + "]" + mapValue(entry.findFieldByNumber(2));
        }
        Object single = single(field, path);
        return field.isRepeated() ? List.of(single) : single;
    }

    private static String mapValue(FieldDescriptor value) {
        return switch (value.getJavaType()) {
            case MESSAGE -> "*" + value.getMessageType().getFullName();
            case ENUM -> value.getEnumType().getFullName();
            default -> protoScalar(value);
        };
    }

    private static Object single(FieldDescriptor field, Set<String> path) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message(field.getMessageType(), path);
            case ENUM -> field.getEnumType().getFullName();
            default -> protoScalar(field);
        };
    }

    private static String protoScalar(FieldDescriptor field) {
        return switch (field.getType()) {
            case DOUBLE -> "float64";
            case FLOAT -> "float32";
            case INT64, SINT64, SFIXED64 -> "int64";
            case UINT64, FIXED64 -> "uint64";
            case INT32, SINT32, SFIXED32 -> "int32";
            case UINT32, FIXED32 -> "uint32";
            case BOOL -> "bool";
            case STRING -> "string";
            case BYTES -> "[]byte";
            default -> field.getType().name().toLowerCase();
        };
    }

    private static String scalar(Class<?> c) {
        if (c == String.class || c == Character.class || c == char.class || c.isEnum()) {
            return "string"; // enums travel as their names in JSON
        }
        if (c == int.class || c == Integer.class) {
            return "int32";
        }
        if (c == long.class || c == Long.class) {
            return "int64";
        }
        if (c == short.class || c == Short.class) {
            return "int16";
        }
        if (c == byte.class || c == Byte.class) {
            return "int8";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "bool";
        }
        if (c == float.class || c == Float.class) {
            return "float32";
        }
        if (c == double.class || c == Double.class || Number.class.isAssignableFrom(c)) {
            return "float64";
        }
        if (c == Object.class) {
            return "interface {}";
        }
        return null;
    }

    /**
     * @param type a generated protobuf message class
     * @return its descriptor
     */
    static Descriptor descriptor(Class<?> type) {
        try {
            return (Descriptor) type.getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a generated protobuf message class: " + type.getName(), e);
        }
    }
}
