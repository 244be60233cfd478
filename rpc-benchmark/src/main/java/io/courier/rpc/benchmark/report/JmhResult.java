package io.courier.rpc.benchmark.report;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One JMH benchmark's score and allocation, from JMH's JSON result file ({@code -rf json}) of a
 * run with {@code -prof gc}.
 *
 * @param benchmark simple name, e.g. {@code CodecBenchmark.courierGetUserResponse}
 * @param mode JMH mode, e.g. {@code avgt}
 * @param score primary score
 * @param error its 99.9% confidence half-width
 * @param unit score unit, e.g. {@code ns/op}
 * @param bytesPerOp {@code gc.alloc.rate.norm}, or -1 without the GC profiler
 */
record JmhResult(String benchmark, String mode, double score, double error, String unit, double bytesPerOp) {

    static List<JmhResult> read(Path file) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
        List<JmhResult> out = new ArrayList<>();
        for (JsonNode b : root) {
            String name = b.path("benchmark").asString();
            String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode primary = b.path("primaryMetric");
            JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
            out.add(new JmhResult(simple, b.path("mode").asString(), primary.path("score").asDouble(),
                    primary.path("scoreError").asDouble(), primary.path("scoreUnit").asString(),
                    norm.isMissingNode() ? -1 : norm.path("score").asDouble()));
        }
        return out;
    }
}
