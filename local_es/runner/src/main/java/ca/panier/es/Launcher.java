package ca.panier.es;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.node.PanierNode;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Starts one Elasticsearch node in this JVM and keeps it running until the process is told to stop
 * (SIGTERM / SIGINT), then closes it cleanly.
 *
 * Arguments are "key=value" Elasticsearch settings (path.home, http.port, ...), passed on verbatim.
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> settingsMap = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("expected key=value, got: " + arg);
                System.exit(2);
            }
            settingsMap.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings.Builder builder = Settings.builder();
        settingsMap.forEach((k, v) -> {
            if (k.equals("discovery.seed_hosts") || k.equals("cluster.initial_master_nodes")) {
                builder.putList(k, List.of(v.split(",")));
            } else {
                builder.put(k, v);
            }
        });
        Settings settings = builder.build();
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(settings.get("node.name", "node-1"));
        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), home.resolve("config"), () -> settings.get("node.name", "node-1"));

        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        plugins.add(Netty4Plugin.class);
        plugins.add(FrenchAnalysisPlugin.class);
        plugins.add(RootInfoPlugin.class);

        Node node = new PanierNode(environment, plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "panier-node-shutdown"));
        node.start();
        System.out.println("panier-es: node started");
        stopped.await();
    }
}
