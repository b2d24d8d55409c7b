package org.elasticsearch.node;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * A genuine Elasticsearch {@link Node} whose plugins come from the classpath rather than from a
 * distribution's modules directory. In the org.elasticsearch.node package because NodeConstruction
 * and NodeServiceProvider are package-private.
 */
public class PanierNode extends Node {

    public PanierNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(
            NodeConstruction.prepareConstruction(
                environment,
                // false: no module-layer exports; on the classpath the server is not a named module
                PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false),
                new NodeServiceProvider() {
                    @Override
                    PluginsService newPluginService(Environment env, PluginsLoader loader) {
                        return new ClasspathPluginsService(env.settings(), env.configDir(), loader, classpathPlugins);
                    }
                },
                true
            )
        );
    }

    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
        // The listener feeds node and cluster ids to the ECS log layout, which we do not use.
    }
}
