// How the java-*.hgrm fixtures were made: HdrHistogram's own Java writer (Maven
// org.hdrhistogram:HdrHistogram:2.2.2), on the same values `report::hgrm`'s tests record.
//   mvn dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2
//   JAR=~/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar
//   javac -cp $JAR JavaReference.java && java -cp $JAR:. JavaReference 5000 > java-5000.hgrm
import org.HdrHistogram.Histogram;
public class JavaReference {
    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        Histogram h = new Histogram(1, 60_000_000L, 3);
        long x = 12345;
        for (long i = 0; i < n; i++) {
            x = (x * 6364136223846793005L + 1442695040888963407L);
            long v = 200 + ((x >>> 33) % 40_000);
            if (i % 97 == 0) v = v * 25;
            h.recordValue(v);
        }
        h.outputPercentileDistribution(System.out, 1000.0);
    }
}
