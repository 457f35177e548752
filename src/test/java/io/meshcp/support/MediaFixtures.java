package io.meshcp.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Small VOD streams for the player tests, made by Debian's ffmpeg from its built-in test sources (no input files,
 * nothing committed) and kept under {@code target/media/} until {@link #VERSION} changes. One encode feeds three
 * packagings, so that HLS over MPEG-TS, HLS over fMP4 and DASH carry the same two renditions of the same
 * {@value #DURATION_SECONDS} s picture and tone, cut into {@value #SEGMENT_SECONDS} s segments.
 */
public final class MediaFixtures {

    /** HLS master playlist whose variants are MPEG-TS segments, relative to {@link #root()}. */
    public static final String HLS_TS = "hls-ts/master.m3u8";

    /** HLS master playlist whose variants are fMP4 segments, relative to {@link #root()}. */
    public static final String HLS_FMP4 = "hls-fmp4/master.m3u8";

    /** DASH manifest with one video adaptation set of two representations and one audio one. */
    public static final String DASH = "dash/manifest.mpd";

    public static final int DURATION_SECONDS = 120;

    public static final int SEGMENT_SECONDS = 2;

    /** The renditions, lowest first, as the master playlists and the DASH manifest list them. */
    public static final List<Rendition> RENDITIONS = List.of(new Rendition(320, 180, 250),
            new Rendition(640, 360, 600));

    /** Change this whenever what is generated changes, so that every checkout regenerates its cached copy. */
    static final String VERSION = "1";

    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");

    static final Path ROOT = Path.of("target", "media").toAbsolutePath();

    private static final int FRAME_RATE = 25;

    // What x264 writes for "-profile:v baseline -level:v 3.0" (constrained baseline, level 3.0, as the DASH manifest
    // that ffmpeg derives from the stream also says). The hls muxer cannot tell codecs of copied streams.
    private static final String CODECS = "avc1.42c01e,mp4a.40.2";

    private static final String AUDIO_BITRATE = "64k";

    private static boolean ready;

    private MediaFixtures() {
    }

    /** The directory holding the three streams, generated first if this checkout has no current copy. */
    public static synchronized Path root() {
        if (!ready) {
            requireFfmpeg();
            try {
                generateUnlessCurrent();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ready = true;
        }
        return ROOT;
    }

    public record Rendition(int width, int height, int kilobitsPerSecond) {

        public String resolution() {
            return width + "x" + height;
        }
    }

    private static void requireFfmpeg() {
        if (System.getenv("CI") == null) {
            assumeTrue(Files.isExecutable(FFMPEG), "player tests need Debian's ffmpeg: apt-get install ffmpeg");
        }
        else if (!Files.isExecutable(FFMPEG)) {
            throw new IllegalStateException("CI must install ffmpeg at " + FFMPEG + " (.ci/run does)");
        }
    }

    private static boolean current() throws IOException {
        try {
            return Files.readString(ROOT.resolve("VERSION")).equals(VERSION);
        }
        catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Another JVM (a second Maven run, an IDE) may want the same files at the same time: the lock makes it wait and
     * then find them ready, and building in a sibling directory that is renamed into place only when complete means
     * that a killed run never leaves half a stream behind a current marker.
     */
    private static void generateUnlessCurrent() throws IOException {
        if (current()) {
            return;
        }
        Path parent = ROOT.getParent();
        Files.createDirectories(parent);
        try (FileChannel lockFile = FileChannel.open(parent.resolve("media.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lockFile.lock(); // released when the channel closes
            if (current()) {
                return;
            }
            Path building = Files.createTempDirectory(parent, "media-");
            generate(building);
            Files.writeString(building.resolve("VERSION"), VERSION);
            if (Files.exists(ROOT)) {
                // A directory cannot be renamed over a non-empty one: the old copy moves aside first.
                Files.move(ROOT, Files.createTempDirectory(parent, "media-stale-").resolve("media"),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(building, ROOT, StandardCopyOption.ATOMIC_MOVE);
            deleteLeftovers(parent);
        }
    }

    private static void generate(Path directory) throws IOException {
        Path source = directory.resolve("source.mkv");
        encode(source);
        packageHls(source, directory.resolve("hls-ts"), "mpegts", "ts", 3);
        packageHls(source, directory.resolve("hls-fmp4"), "fmp4", "m4s", 7);
        packageDash(source, directory.resolve("dash"));
        Files.delete(source);
        Files.delete(logBeside(source));
    }

    /**
     * Encodes every rendition once; the packagings then only copy. A keyframe every segment duration and no
     * scene-cut keyframes make every packaging cut at exactly the same 2 s boundaries.
     */
    private static void encode(Path source) throws IOException {
        String gop = String.valueOf(FRAME_RATE * SEGMENT_SECONDS);
        List<String> command = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=640x360:rate=" + FRAME_RATE + ":duration=" + DURATION_SECONDS, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + DURATION_SECONDS));
        StringBuilder filter = new StringBuilder("[0:v]split=" + RENDITIONS.size());
        for (int i = 0; i < RENDITIONS.size(); i++) {
            filter.append("[in").append(i).append(']');
        }
        for (int i = 0; i < RENDITIONS.size(); i++) {
            Rendition rendition = RENDITIONS.get(i);
            filter.append(";[in").append(i).append("]scale=").append(rendition.width()).append(':')
                    .append(rendition.height()).append("[v").append(i).append(']');
        }
        command.addAll(List.of("-filter_complex", filter.toString()));
        for (int i = 0; i < RENDITIONS.size(); i++) {
            command.addAll(List.of("-map", "[v" + i + "]"));
        }
        command.addAll(List.of("-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline",
                "-level:v", "3.0", "-pix_fmt", "yuv420p", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0"));
        for (int i = 0; i < RENDITIONS.size(); i++) {
            int kbps = RENDITIONS.get(i).kilobitsPerSecond();
            command.addAll(List.of("-b:v:" + i, kbps + "k", "-maxrate:v:" + i, kbps * 11 / 10 + "k", "-bufsize:v:" + i,
                    kbps * 2 + "k"));
        }
        command.addAll(List.of("-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2", source.toString()));
        ffmpeg(logBeside(source), command);
    }

    private static void packageHls(Path source, Path directory, String segmentType, String extension, int version)
            throws IOException {
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of("-i", source.toString()));
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < RENDITIONS.size(); i++) {
            // The one audio track goes into every variant: each rendition is a complete muxed stream.
            command.addAll(List.of("-map", "0:v:" + i, "-map", "0:a:0"));
            streamMap.append(i == 0 ? "" : " ").append("v:").append(i).append(",a:").append(i);
        }
        command.addAll(List.of("-c", "copy", "-f", "hls", "-hls_time", String.valueOf(SEGMENT_SECONDS),
                "-hls_playlist_type", "vod", "-hls_segment_type", segmentType, "-hls_fmp4_init_filename", "init.mp4",
                "-hls_segment_filename", directory.resolve("v%v/seg%03d." + extension).toString(), "-var_stream_map",
                streamMap.toString(), directory.resolve("v%v/index.m3u8").toString()));
        ffmpeg(logBeside(source), command);
        writeMaster(directory, version);
    }

    /**
     * The master playlist ffmpeg writes for copied streams lacks CODECS and has the audio bitrate as BANDWIDTH, so
     * this one is written from what the variants really hold: BANDWIDTH is the peak segment bitrate, as RFC 8216
     * defines it.
     */
    private static void writeMaster(Path directory, int version) throws IOException {
        StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:" + version + "\n");
        master.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (int i = 0; i < RENDITIONS.size(); i++) {
            String variant = "v" + i + "/index.m3u8";
            Bitrates bitrates = measure(directory.resolve(variant));
            master.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%s,FRAME-RATE=%d,CODECS=\"%s\"\n",
                    bitrates.peak(), bitrates.average(), RENDITIONS.get(i).resolution(), FRAME_RATE, CODECS));
            master.append(variant).append('\n');
        }
        Files.writeString(directory.resolve("master.m3u8"), master.toString());
    }

    private record Bitrates(long peak, long average) {
    }

    private static Bitrates measure(Path mediaPlaylist) throws IOException {
        double peak = 0;
        double totalBits = 0;
        double totalSeconds = 0;
        double duration = 0;
        for (String line : Files.readAllLines(mediaPlaylist)) {
            if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring("#EXTINF:".length(), line.indexOf(',')));
            }
            else if (!line.isBlank() && !line.startsWith("#")) {
                double bits = Files.size(mediaPlaylist.resolveSibling(line)) * 8.0;
                peak = Math.max(peak, bits / duration);
                totalBits += bits;
                totalSeconds += duration;
            }
        }
        return new Bitrates((long) Math.ceil(peak), (long) Math.ceil(totalBits / totalSeconds));
    }

    /** A segment timeline rather than a fixed duration, because AAC frames do not divide 2 s exactly. */
    private static void packageDash(Path source, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of("-i", source.toString()));
        for (int i = 0; i < RENDITIONS.size(); i++) {
            command.addAll(List.of("-map", "0:v:" + i));
        }
        command.addAll(List.of("-map", "0:a:0", "-c", "copy", "-f", "dash", "-seg_duration",
                String.valueOf(SEGMENT_SECONDS), "-use_template", "1", "-use_timeline", "1", "-adaptation_sets",
                "id=0,streams=v id=1,streams=a", "-init_seg_name", "init-$RepresentationID$.m4s", "-media_seg_name",
                "seg-$RepresentationID$-$Number%03d$.m4s", directory.resolve("manifest.mpd").toString()));
        ffmpeg(logBeside(source), command);
    }

    private static Path logBeside(Path source) {
        return source.resolveSibling("ffmpeg.log");
    }

    private static void ffmpeg(Path log, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(FFMPEG.toString(), "-hide_banner", "-nostdin", "-loglevel",
                "error", "-y"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("ffmpeg took more than 5 minutes: " + command);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed (" + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** The copy just replaced, and what killed runs left half-built: no other JVM uses them while this one locks. */
    private static void deleteLeftovers(Path parent) throws IOException {
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : siblings.filter(path -> path.getFileName().toString().startsWith("media-")).toList()) {
                deleteRecursively(sibling);
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
