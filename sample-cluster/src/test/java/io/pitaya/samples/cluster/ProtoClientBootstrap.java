package io.pitaya.samples.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.pitaya.client.PitayaClient;
import io.pitaya.protocol.proto.PitayaProto.Doc;
import io.pitaya.protocol.proto.PitayaProto.ProtoDescriptors;
import io.pitaya.protocol.proto.PitayaProto.ProtoNames;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What pitaya's {@code ProtoClient} (client/protoclient.go, used by pitaya-cli) does before its first call, step
 * for step: ask the docs route (empty body) for a {@code protos.Doc}; collect every key with a {@code *} in the
 * JSON documentation; take each handler's and remote's input and output type from its keys that contain
 * "proto"; find the descriptors route as the handler from {@code protos.ProtoNames} to
 * {@code protos.ProtoDescriptors}; ask it for every name collected; pair each gzipped FileDescriptorProto with the
 * name at the same index; build the files (they must resolve each other's imports) and find each name's message.
 */
final class ProtoClientBootstrap {

    /** A route's message types, as ProtoClient keeps them; {@code null} where the documentation names none. */
    record Command(Descriptor input, Descriptor output) {
    }

    final String descriptorsRoute;
    final Map<String, Command> commands;
    final Map<String, Object> documentation;

    private ProtoClientBootstrap(String descriptorsRoute, Map<String, Command> commands, Map<String, Object> documentation) {
        this.descriptorsRoute = descriptorsRoute;
        this.commands = commands;
        this.documentation = documentation;
    }

    static ProtoClientBootstrap load(PitayaClient client, String docsRoute) throws Exception {
        Doc doc = Doc.parseFrom(client.request(docsRoute, new byte[0]).get(5, TimeUnit.SECONDS));
        Map<String, Object> json = JsonMapper.builder().build().readValue(doc.getDoc(), new TypeReference<Map<String, Object>>() { });
        Set<String> names = new LinkedHashSet<>();
        keys(json, names);
        Map<String, String[]> types = new LinkedHashMap<>();
        String descriptorsRoute = null;
        for (String section : List.of("handlers", "remotes")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> routes = (Map<String, Object>) json.get(section); // ProtoClient fails without either section
            for (Map.Entry<String, Object> route : routes.entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> command = (Map<String, Object>) route.getValue();
                String in = protoKey(command.get("input"));
                List<?> output = (List<?>) command.get("output"); // ProtoClient reads output[0]: never empty
                String out = protoKey(output.get(0));
                types.put(route.getKey(), new String[] {in, out});
                if (section.equals("handlers") && descriptorsRoute == null && "protos.ProtoNames".equals(in)
                        && "protos.ProtoDescriptors".equals(out)) {
                    descriptorsRoute = route.getKey();
                }
            }
        }
        if (descriptorsRoute == null) {
            throw new IllegalStateException("no handler from protos.ProtoNames to protos.ProtoDescriptors in the documentation");
        }
        List<String> asked = new ArrayList<>(names);
        ProtoDescriptors descriptors = ProtoDescriptors.parseFrom(client.request(descriptorsRoute,
                ProtoNames.newBuilder().addAllName(asked).build().toByteArray()).get(5, TimeUnit.SECONDS));
        Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
        Set<String> described = new LinkedHashSet<>();
        for (int i = 0; i < descriptors.getDescCount(); i++) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(gunzip(descriptors.getDesc(i).toByteArray()));
            files.put(file.getName(), file);
            described.add(asked.get(i));
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        for (String file : files.keySet()) {
            build(file, files, built);
        }
        Map<String, Descriptor> messages = new HashMap<>();
        for (String name : described) {
            for (FileDescriptor file : built.values()) {
                Descriptor message = find(file, name);
                if (message != null) {
                    messages.put(name, message);
                }
            }
        }
        Map<String, Command> commands = new LinkedHashMap<>();
        types.forEach((route, inOut) -> commands.put(route, new Command(messages.get(inOut[0]), messages.get(inOut[1]))));
        return new ProtoClientBootstrap(descriptorsRoute, commands, json);
    }

    /** The name of the first key that contains "proto", without its '*', as getOutputInputNames reads it. */
    private static String protoKey(Object doc) {
        if (doc instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (key.toString().contains("proto")) {
                    return key.toString().replaceFirst("\\*", "");
                }
            }
        }
        return null;
    }

    private static void keys(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (key.toString().contains("*")) {
                    names.add(key.toString().replaceFirst("\\*", ""));
                }
                keys(value, names);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> {
                if (item instanceof Map<?, ?>) {
                    keys(item, names);
                }
            });
        }
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> files, Map<String, FileDescriptor> built)
            throws DescriptorValidationException {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = files.get(name);
        if (proto == null) {
            throw new IllegalStateException("no descriptor received for " + name + ", which another file imports");
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, files, built));
        }
        FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
        built.put(name, file);
        return file;
    }

    private static Descriptor find(FileDescriptor file, String fullName) {
        String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
        if (!fullName.startsWith(prefix)) {
            return null;
        }
        String[] path = fullName.substring(prefix.length()).split("\\.");
        Descriptor message = file.findMessageTypeByName(path[0]);
        for (int i = 1; message != null && i < path.length; i++) {
            message = message.findNestedTypeByName(path[i]);
        }
        return message;
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
