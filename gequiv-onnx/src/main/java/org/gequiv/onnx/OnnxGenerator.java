package org.gequiv.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gequiv.generator.Moments;
import org.gequiv.generator.deep.ImageShaped;
import org.gequiv.generator.deep.LatentMap;

/**
 * Any ONNX model that maps a batch of latent vectors to a batch of outputs, used as a generator
 * x = G(c) with c ~ N(0, I_D) (docs/theory.md §1.1).
 *
 * <p>The model must have exactly one input, a float or double tensor of shape [batch, D],
 * [batch, D, 1, 1] (DCGAN style) or [batch, C, H, W] (flows; D = C·H·W); every dimension but the
 * batch must be fixed. Its first output must be a float or double tensor [batch, …], flattened to
 * N (C order). A dynamic batch runs in chunks of up to {@value #MAX_CHUNK}; a fixed batch size b
 * runs in chunks of b, zero-padding the last. Names and shapes are read from the model; anything
 * else is refused with an {@link IllegalArgumentException} that names the input or output and its
 * shape. Outputs of rank 3 or 4 are image-shaped (channels × height × width).
 *
 * <p>Thread-safe (ONNX Runtime sessions may run concurrently). Close it to free the session.
 */
public final class OnnxGenerator implements LatentMap, ImageShaped, AutoCloseable {

    /** Largest chunk passed to the model when its batch dimension is dynamic. */
    public static final int MAX_CHUNK = 256;

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long[] inputShape;
    private final boolean inputDouble;
    private final int fixedBatch;
    private final int d;
    private final int n;
    private final int[] outputShape;
    private final Map<String, Object> description;

    private OnnxGenerator(Path file, OrtEnvironment env, OrtSession session) throws OrtException, IOException {
        this.file = file;
        this.env = env;
        this.session = session;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("ONNX generator " + file + " must have exactly one input (the latent), got "
                    + inputs.keySet());
        }
        NodeInfo in = inputs.values().iterator().next();
        inputName = in.getName();
        if (!(in.getInfo() instanceof TensorInfo ti)) {
            throw new IllegalArgumentException("input '" + inputName + "' of " + file + " must be a tensor, got "
                    + in.getInfo());
        }
        inputDouble = checkType(ti, "input '" + inputName + "'");
        long[] shape = ti.getShape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("input '" + inputName + "' of " + file
                    + " must have shape [batch, D], [batch, D, 1, 1] or [batch, C, H, W], got " + Arrays.toString(shape));
        }
        long dd = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("input '" + inputName + "' of " + file
                        + " must have fixed dimensions except the batch, got " + Arrays.toString(shape));
            }
            dd *= shape[i];
        }
        if (dd > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("latent dimension of " + file + " is too large: " + dd);
        }
        inputShape = shape.clone();
        d = (int) dd;
        fixedBatch = shape[0] >= 1 ? (int) shape[0] : -1;

        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("ONNX generator " + file + " must have an output (the generated x), got none");
        }
        NodeInfo out = outputs.values().iterator().next();
        outputName = out.getName();
        if (!(out.getInfo() instanceof TensorInfo to)) {
            throw new IllegalArgumentException("output '" + outputName + "' of " + file + " must be a tensor, got "
                    + out.getInfo());
        }
        checkType(to, "output '" + outputName + "'");
        // non-batch output dimensions may be symbolic: one probe run finds them
        int probe = fixedBatch > 0 ? fixedBatch : 1;
        long[] outShape;
        try (OnnxTensor t = tensor(new double[probe * d], probe);
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            OnnxValue v = r.get(0);
            outShape = ((TensorInfo) v.getInfo()).getShape();
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX generator " + file + " fails on a latent of shape "
                    + Arrays.toString(shapeFor(probe)) + ": " + e.getMessage(), e);
        }
        if (outShape.length < 2 || outShape[0] != probe) {
            throw new IllegalArgumentException("output '" + outputName + "' of " + file
                    + " must have shape [batch, ...] with the input's batch, got " + Arrays.toString(outShape)
                    + " for batch " + probe);
        }
        long nn = 1;
        for (int i = 1; i < outShape.length; i++) {
            nn *= outShape[i];
        }
        if (nn < 1 || nn > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("output '" + outputName + "' of " + file + " has unusable size " + nn);
        }
        n = (int) nn;
        outputShape = new int[outShape.length - 1];
        for (int i = 1; i < outShape.length; i++) {
            outputShape[i - 1] = (int) outShape[i];
        }
        Map<String, Object> desc = new LinkedHashMap<>();
        desc.put("model", file.toAbsolutePath().normalize().toString());
        desc.put("modelSha256", sha256(file));
        desc.put("input", inputName + " " + Arrays.toString(shape) + (inputDouble ? " double" : " float"));
        desc.put("output", outputName + " " + Arrays.toString(outShape));
        if (outputs.size() > 1) {
            desc.put("otherOutputsIgnored", String.join(", ", outputs.keySet()));
        }
        this.description = Map.copyOf(desc);
    }

    /**
     * Opens {@code model} with ONNX Runtime on the CPU.
     *
     * @param threads intra-op threads for ONNX Runtime (0 for its default)
     * @throws IllegalArgumentException if the file is missing, is not a loadable ONNX model, or does
     *                                  not have the shape of a generator
     */
    public static OnnxGenerator open(Path model, int threads) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("ONNX model must be a readable file, got " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            // the library is silent: what ONNX Runtime would log about a bad model is in the exception
            opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = env.createSession(model.toString(), opts);
        } catch (OrtException e) {
            throw new IllegalArgumentException("cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
        try {
            return new OnnxGenerator(model, env, session);
        } catch (OrtException e) {
            closeQuietly(session, e);
            throw new IllegalArgumentException("cannot inspect ONNX model " + model + ": " + e.getMessage(), e);
        } catch (RuntimeException | IOException e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session, Exception cause) {
        try {
            session.close();
        } catch (OrtException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** {@link #open(Path, int)} with ONNX Runtime's default threading. */
    public static OnnxGenerator open(Path model) throws IOException {
        return open(model, 0);
    }

    private static boolean checkType(TensorInfo ti, String what) {
        OnnxJavaType t = ti.type;
        if (t != OnnxJavaType.FLOAT && t != OnnxJavaType.DOUBLE) {
            throw new IllegalArgumentException(what + " must be a float or double tensor, got " + t);
        }
        return t == OnnxJavaType.DOUBLE;
    }

    private long[] shapeFor(int batch) {
        long[] s = inputShape.clone();
        s[0] = batch;
        return s;
    }

    private OnnxTensor tensor(double[] values, int batch) throws OrtException {
        long[] shape = shapeFor(batch);
        if (inputDouble) {
            return OnnxTensor.createTensor(env, DoubleBuffer.wrap(values, 0, batch * d), shape);
        }
        FloatBuffer fb = ByteBuffer.allocateDirect(batch * d * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < batch * d; i++) {
            fb.put(i, (float) values[i]);
        }
        return OnnxTensor.createTensor(env, fb, shape);
    }

    @Override
    public void map(int batch, double[] latent, double[] inputs) {
        if (latent.length < batch * d || inputs.length < batch * n) {
            throw new IllegalArgumentException("buffers must hold batch × D and batch × N = " + batch + " × " + d
                    + " and " + batch + " × " + n + ", got " + latent.length + " and " + inputs.length);
        }
        int chunk = fixedBatch > 0 ? fixedBatch : Math.min(MAX_CHUNK, Math.max(1, batch));
        double[] in = new double[chunk * d];
        for (int start = 0; start < batch; start += chunk) {
            int b = Math.min(chunk, batch - start);
            int run = fixedBatch > 0 ? fixedBatch : b;
            System.arraycopy(latent, start * d, in, 0, b * d);
            Arrays.fill(in, b * d, run * d, 0.0);
            try (OnnxTensor t = tensor(in, run);
                 OrtSession.Result r = session.run(Map.of(inputName, t))) {
                OnnxTensor o = (OnnxTensor) r.get(0);
                if (o.getInfo().type == OnnxJavaType.DOUBLE) {
                    DoubleBuffer db = o.getDoubleBuffer();
                    db.get(0, inputs, start * n, b * n);
                } else {
                    FloatBuffer fb = o.getFloatBuffer();
                    for (int i = 0; i < b * n; i++) {
                        inputs[start * n + i] = fb.get(i);
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX generator " + file + " failed on a batch of " + run + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public int latentDimension() {
        return d;
    }

    @Override
    public int inputDimension() {
        return n;
    }

    /** The output's non-batch shape as read from the model. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /**
     * {channels, height, width} for outputs of rank 3 ({@code [C, H, W]}) or rank 2
     * ({@code [H, W]}, one channel); otherwise an {@link IllegalStateException}.
     */
    @Override
    public int[] imageShape() {
        if (outputShape.length == 3) {
            return outputShape.clone();
        }
        if (outputShape.length == 2) {
            return new int[] {1, outputShape[0], outputShape[1]};
        }
        throw new IllegalStateException("output '" + outputName + "' of " + file + " is not image-shaped: "
                + Arrays.toString(outputShape));
    }

    @Override
    public Optional<Moments> analyticMoments() {
        return Optional.empty();
    }

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public Map<String, Object> description() {
        return description;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX session of " + file, e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(file));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
