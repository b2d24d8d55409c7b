package ca.panier.es;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.tartarus.snowball.ext.FrenchStemmer;

/**
 * The French analysis components Panier's mappings use, under the names and settings Elasticsearch's
 * analysis-common module gives them, so that the same mapping files run unchanged on a stock
 * Elasticsearch distribution. Each factory wraps the Lucene filter that analysis-common wraps.
 * Only the settings Panier uses are supported; anything else is refused with a clear error.
 */
public class FrenchAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "elision", ElisionFactory::new,
            "asciifolding", AsciiFoldingFactory::new,
            "stemmer", StemmerFactory::new,
            "edge_ngram", EdgeNGramFactory::new,
            "synonym_graph", AnalysisPlugin.requiresAnalysisSettings(SynonymGraphFactory::new)
        );
    }

    static final class ElisionFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final CharArraySet articles;

        ElisionFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            CharArraySet parsed = Analysis.parseArticles(env, settings);
            this.articles = parsed == null ? FrenchAnalyzer.DEFAULT_ARTICLES : parsed;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ElisionFilter(tokenStream, articles);
        }
    }

    static final class AsciiFoldingFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream tokenStream) {
            // Normalizers must emit a single token per input token.
            return new ASCIIFoldingFilter(tokenStream, false);
        }
    }

    static final class StemmerFactory extends AbstractTokenFilterFactory {
        private final String language;

        StemmerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.language = settings.get("language", settings.get("name", "light_french")).toLowerCase(Locale.ROOT);
            if (List.of("light_french", "french", "minimal_french").contains(language) == false) {
                throw new IllegalArgumentException(
                    "stemmer [" + name + "]: language [" + language + "] is not available in Panier's local engine "
                        + "(supported: light_french, french, minimal_french)"
                );
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return switch (language) {
                case "light_french" -> new FrenchLightStemFilter(tokenStream);
                case "minimal_french" -> new FrenchMinimalStemFilter(tokenStream);
                default -> new SnowballFilter(tokenStream, new FrenchStemmer());
            };
        }
    }

    static final class EdgeNGramFactory extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        EdgeNGramFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
            if (minGram < 1 || maxGram < minGram) {
                throw new IllegalArgumentException("edge_ngram [" + name + "]: need 1 <= min_gram <= max_gram");
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new EdgeNGramTokenFilter(tokenStream, minGram, maxGram, preserveOriginal);
        }

        @Override
        public boolean breaksFastVectorHighlighter() {
            return true;
        }
    }

    /**
     * synonym_graph with Solr-format rules from "synonyms" or "synonyms_path" (relative to the node's
     * config directory). With "updateable": true it is search-time only and re-reads its file on
     * POST /{index}/_reload_search_analyzers, which is how Elasticsearch reloads synonyms without a
     * reindex.
     */
    static final class SynonymGraphFactory extends AbstractTokenFilterFactory {
        private final Environment environment;
        private final Settings settings;
        private final boolean expand;
        private final boolean updateable;

        SynonymGraphFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.environment = env;
            this.settings = settings;
            this.expand = settings.getAsBoolean("expand", true);
            this.updateable = settings.getAsBoolean("updateable", false);
            if (settings.get("synonyms_path") == null && settings.getAsList("synonyms").isEmpty()) {
                throw new IllegalArgumentException("synonym_graph [" + name + "]: set synonyms or synonyms_path");
            }
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            throw new IllegalStateException("synonym_graph must be specialised for its analysis chain first");
        }

        @Override
        public AnalysisMode getAnalysisMode() {
            return updateable ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
        }

        @Override
        public String getResourceName() {
            return settings.get("synonyms_path");
        }

        @Override
        public TokenFilterFactory getChainAwareTokenFilterFactory(
            IndexCreationContext context,
            TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters,
            List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters
        ) {
            // Rules are analysed by the chain that precedes this filter, so "Blé d'Inde" in the file
            // matches the tokens "ble", "inde" that reach it.
            Analyzer ruleAnalyzer = new CustomAnalyzer(
                tokenizer,
                charFilters.toArray(new CharFilterFactory[0]),
                previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
            );
            SynonymMap map = buildSynonymMap(ruleAnalyzer);
            String filterName = name();
            AnalysisMode mode = getAnalysisMode();
            String resource = getResourceName();
            return new TokenFilterFactory() {
                @Override
                public String name() {
                    return filterName;
                }

                @Override
                public TokenStream create(TokenStream tokenStream) {
                    return map.fst == null ? tokenStream : new SynonymGraphFilter(tokenStream, map, false);
                }

                @Override
                public TokenFilterFactory getSynonymFilter() {
                    return IDENTITY_FILTER;
                }

                @Override
                public AnalysisMode getAnalysisMode() {
                    return mode;
                }

                @Override
                public String getResourceName() {
                    return resource;
                }
            };
        }

        private SynonymMap buildSynonymMap(Analyzer ruleAnalyzer) {
            // Reads "synonyms_path" (relative to the config directory) or the inline "synonyms" list.
            List<String> rules = Analysis.getWordList(environment, settings, "synonyms");
            try {
                SolrSynonymParser parser = new SolrSynonymParser(true, expand, ruleAnalyzer);
                parser.parse(new StringReader(String.join("\n", rules)));
                return parser.build();
            } catch (ParseException e) {
                throw new IllegalArgumentException("synonym_graph [" + name() + "]: cannot parse rules: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
