package io.pitaya.spring.it;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.pitaya.client.PitayaClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static io.pitaya.spring.it.Futures.await;
import static io.pitaya.spring.it.Futures.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * pitaya.docs.enabled on a JSON server: the docs handler documents every route as pitaya's docgenerator does,
 * the descriptors route answers gzipped FileDescriptorProtos, and /actuator/pitayadocs shows the same.
 * (The protobuf bootstrap of pitaya's ProtoClient is tested against sample-cluster.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.server.type=game",
        "pitaya.acceptor.tcp.port=0",
        "pitaya.docs.enabled=true",
        "management.endpoints.web.exposure.include=pitayadocs"
})
class DocsTests extends ServerTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    private Map<String, Object> docs(PitayaClient client) throws Exception {
        Map<String, Object> doc = await(client.request("game.docsHandler.docs", null, Map.class));
        return JSON.readValue((String) doc.get("doc"), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyHandlerAndRemoteIsDocumentedAsPitayasDocgeneratorRendersIt() throws Exception {
        Map<String, Object> docs = docs(server.connect(Transport.TCP));
        Map<String, Object> handlers = (Map<String, Object>) docs.get("handlers");
        Map<String, Object> remotes = (Map<String, Object>) docs.get("remotes");

        assertThat(handlers.get("game.echo.echo")).isEqualTo(Map.of(
                "input", Map.of("text", "string", "n", "int32"),
                "output", List.of(Map.of("text", "string", "n", "int32", "session", "int64"), "error")));
        assertThat(handlers.get("game.echo.proto")).isEqualTo(Map.of(
                "input", Map.of("*protos.KickMsg", Map.of("userId", "string", "code", "string", "reason", "string")),
                "output", List.of(Map.of("*protos.KickAnswer", Map.of("kicked", "bool")), "error")));
        assertThat((Map<String, Object>) handlers.get("game.echo.tell")).as("a notify handler").containsEntry("output", List.of("error"));
        assertThat((Map<String, Object>) handlers.get("game.echo.noArgs")).containsEntry("input", null);
        assertThat(((Map<String, Object>) handlers.get("game.echo.raw")).get("input")).isEqualTo("[]byte");
        assertThat(handlers.get("game.docsHandler.descriptors")).isEqualTo(Map.of(
                "input", Map.of("*protos.ProtoNames", Map.of("name", List.of("string"))),
                "output", List.of(Map.of("*protos.ProtoDescriptors", Map.of("desc", List.of("[]byte"))), "error")));
        assertThat(remotes).containsKey("game.echo.ping").containsKey("game.docsRemote.docs");
    }

    @Test
    void theDescriptorsRouteAnswersTheGzippedFileOfEachNameInTheOrderAsked() throws Exception {
        PitayaClient client = server.connect(Transport.TCP);

        @SuppressWarnings("unchecked")
        Map<String, Object> answer = await(client.request("game.docsHandler.descriptors",
                Map.of("name", List.of("protos.KickAnswer", "protos.Doc", "pitaya.proto")), Map.class));

        List<?> desc = (List<?>) answer.get("desc");
        assertThat(desc).hasSize(3);
        for (Object file : desc) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode((String) file)))) {
                FileDescriptorProto proto = FileDescriptorProto.parseFrom(in.readAllBytes());
                assertThat(proto.getName()).isEqualTo("pitaya.proto");
                assertThat(proto.getMessageTypeList()).anyMatch(message -> message.getName().equals("KickAnswer"));
            }
        }
        assertThat(error(client.request("game.docsHandler.descriptors", Map.of("name", List.of("protos.Nothing")), Map.class)).code())
                .isEqualTo("PIT-404");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theActuatorEndpointShowsTheSameDocumentation() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/actuator/pitayadocs")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> docs = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        assertThat(docs).isEqualTo(docs(server.connect(Transport.TCP)));
    }
}
