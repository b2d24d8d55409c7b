package org.elasticsearch.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;

/**
 * A PluginsService that, besides the (empty) modules and plugins directories, loads plugin classes
 * found on the JVM classpath. Elasticsearch's own test clusters load plugins the same way; it is
 * how a node runs without the distribution's per-plugin directories. Lives in the plugins package
 * because LoadedPlugin and loadPlugin are package-private.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> allPlugins;
    private final PluginsAndModules allInfo;

    public ClasspathPluginsService(
        Settings settings,
        Path configDir,
        PluginsLoader loader,
        Collection<Class<? extends Plugin>> classpathPlugins
    ) {
        super(settings, configDir, loader);
        List<LoadedPlugin> loaded = new ArrayList<>(super.plugins());
        List<PluginRuntimeInfo> infos = new ArrayList<>(super.info().getPluginInfos());
        String javaVersion = Integer.toString(Runtime.version().feature());
        for (Class<? extends Plugin> pluginClass : classpathPlugins) {
            Plugin plugin = loadPlugin(pluginClass, settings, configDir);
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getName(),
                "classpath plugin (panier local engine)",
                "NA",
                Build.current().version(),
                javaVersion,
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            loaded.add(new LoadedPlugin(descriptor, plugin, pluginClass.getClassLoader()));
            infos.add(new PluginRuntimeInfo(descriptor));
        }
        this.allPlugins = List.copyOf(loaded);
        this.allInfo = new PluginsAndModules(infos, super.info().getModuleInfos());
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        // super's constructor may ask before our fields are set
        return allPlugins == null ? super.plugins() : allPlugins;
    }

    @Override
    public PluginsAndModules info() {
        return allInfo == null ? super.info() : allInfo;
    }
}
