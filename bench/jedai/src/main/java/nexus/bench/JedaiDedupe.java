package nexus.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scify.jedai.blockbuilding.StandardBlocking;
import org.scify.jedai.blockprocessing.blockcleaning.BlockFiltering;
import org.scify.jedai.blockprocessing.blockcleaning.ComparisonsBasedBlockPurging;
import org.scify.jedai.blockprocessing.comparisoncleaning.CardinalityNodePruning;
import org.scify.jedai.datamodel.AbstractBlock;
import org.scify.jedai.datamodel.EntityProfile;
import org.scify.jedai.datamodel.EquivalenceCluster;
import org.scify.jedai.datamodel.SimilarityPairs;
import org.scify.jedai.datareader.entityreader.EntityCSVReader;
import org.scify.jedai.entityclustering.ConnectedComponentsClustering;
import org.scify.jedai.entitymatching.ProfileMatcher;
import org.scify.jedai.utilities.enumerations.RepresentationModel;
import org.scify.jedai.utilities.enumerations.SimilarityMetric;

/**
 * Dirty entity resolution of one CSV file with JedAI's standard schema-agnostic workflow, each
 * step at its defaults: token blocking, comparison-based block purging, block filtering,
 * cardinality node pruning, TF-IDF token cosine similarity, connected components. Writes
 * {@code external_id,cluster} (the first column of the input is the record's id) and prints one
 * JSON line of counts and step timings on stdout.
 *
 * <p>usage: JedaiDedupe INPUT.csv OUT.csv
 */
public final class JedaiDedupe {
  private JedaiDedupe() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: JedaiDedupe INPUT.csv OUT.csv");
      System.exit(2);
    }
    long started = System.nanoTime();
    EntityCSVReader reader = new EntityCSVReader(args[0]);
    reader.setAttributeNamesInFirstRow(true);
    reader.setSeparator(',');
    reader.setIdIndex(0);
    reader.setAttributesToExclude(new int[] {0});
    List<EntityProfile> profiles = reader.getEntityProfiles();
    long read = System.nanoTime();

    List<AbstractBlock> blocks = new StandardBlocking().getBlocks(profiles);
    blocks = new ComparisonsBasedBlockPurging(false).refineBlocks(blocks);
    blocks = new BlockFiltering().refineBlocks(blocks);
    blocks = new CardinalityNodePruning().refineBlocks(blocks);
    long blocked = System.nanoTime();

    ProfileMatcher matcher =
        new ProfileMatcher(
            profiles, RepresentationModel.TOKEN_UNIGRAMS_TF_IDF, SimilarityMetric.COSINE_SIMILARITY);
    SimilarityPairs pairs = matcher.executeComparisons(blocks);
    long matched = System.nanoTime();

    EquivalenceCluster[] clusters = new ConnectedComponentsClustering().getDuplicates(pairs);
    long clustered = System.nanoTime();

    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      out.println("external_id,cluster");
      int cluster = 0;
      for (EquivalenceCluster c : clusters) {
        for (int id : c.getEntityIdsD1().toArray()) {
          out.println(profiles.get(id).getEntityUrl() + ",c" + cluster);
        }
        cluster++;
      }
    }
    System.out.printf(
        "{\"records\":%d,\"comparisons\":%d,\"clusters\":%d,\"read_s\":%.3f,\"blocking_s\":%.3f,"
            + "\"matching_s\":%.3f,\"clustering_s\":%.3f}%n",
        profiles.size(),
        pairs.getNoOfComparisons(),
        clusters.length,
        (read - started) / 1e9,
        (blocked - read) / 1e9,
        (matched - blocked) / 1e9,
        (clustered - matched) / 1e9);
  }
}
