package io.pitaya.spring.internal.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import io.pitaya.spring.internal.component.HandlerMethod;

/**
 * The .proto files behind this server's handlers and remotes, by the full name of every message and enum
 * they define (nested ones too) and by file name, with their dependencies: what pitaya's descriptors route
 * answers ({@code pitaya.Descriptor}): the gzipped {@code FileDescriptorProto} of the file that defines a name.
 */
public final class ProtoDescriptorIndex {

    private final Map<String, FileDescriptor> files = new HashMap<>();
    private final Map<String, FileDescriptor> byName = new HashMap<>();
    private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();

    /**
     * @param methods handlers and remotes whose payload and answer types are indexed
     * @return the index
     */
    public static ProtoDescriptorIndex of(Collection<HandlerMethod> methods) {
        ProtoDescriptorIndex index = new ProtoDescriptorIndex();
        for (HandlerMethod method : methods) {
            if (method.payloadType() != null) {
                index.addTypes(method.payloadType());
            }
            index.addTypes(method.method().getGenericReturnType());
        }
        return index;
    }

    private void addTypes(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            addTypes(parameterized.getRawType());
            for (Type arg : parameterized.getActualTypeArguments()) {
                addTypes(arg);
            }
        } else if (type instanceof GenericArrayType array) {
            addTypes(array.getGenericComponentType());
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                addTypes(c.getComponentType());
            } else if (Message.class.isAssignableFrom(c) && c != Message.class) {
                addFile(Documentation.descriptor(c).getFile());
            }
        }
    }

    private void addFile(FileDescriptor file) {
        if (files.putIfAbsent(file.getName(), file) != null) {
            return;
        }
        file.getMessageTypes().forEach(message -> addMessage(message, file));
        file.getEnumTypes().forEach(e -> byName.putIfAbsent(e.getFullName(), file));
        file.getDependencies().forEach(this::addFile);
    }

    private void addMessage(Descriptor message, FileDescriptor file) {
        byName.putIfAbsent(message.getFullName(), file);
        message.getNestedTypes().forEach(nested -> addMessage(nested, file));
        for (EnumDescriptor e : message.getEnumTypes()) {
            byName.putIfAbsent(e.getFullName(), file);
        }
    }

    /**
     * @param name a message or enum full name ({@code protos.KickMsg}), Go's names of the well-known types
     *             ({@code types.Any}, {@code anypb.Any}), or a file name ({@code pitaya.proto})
     * @return the gzipped {@code FileDescriptorProto} of the file that defines it, when known here
     */
    public Optional<byte[]> gzippedFile(String name) {
        String fullName = name.startsWith("types.") ? "google.protobuf." + name.substring(6)
                : name.startsWith("anypb.") ? "google.protobuf." + name.substring(6) : name;
        FileDescriptor file = name.endsWith(".proto") ? files.get(name) : byName.get(fullName);
        return file == null ? Optional.empty() : Optional.of(gzipped.computeIfAbsent(file.getName(), n -> gzip(file.toProto().toByteArray())));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 32);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
