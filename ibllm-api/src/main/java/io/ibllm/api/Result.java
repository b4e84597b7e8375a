package io.ibllm.api;

import io.ibllm.bind.VisualCache;
import java.util.List;

/**
 * The answer to a {@link Request}.
 *
 * @param promptIds    BOS + the tokenised prompt
 * @param ids          the generated tokens, without EOS
 * @param text         the decoded answer
 * @param stoppedAtEos whether the model ended the answer itself (else max tokens or the context ended it)
 * @param bindInput    the vector that entered the bind network, or null for a text-only request
 * @param neighbours   the cache neighbours of the mixed embedding, or null when the cache was off
 * @param stepLogits   the logits of every decoding step when the request kept them, else empty
 */
public record Result(int[] promptIds, int[] ids, String text, boolean stoppedAtEos, float[] bindInput,
                     VisualCache.Neighbours neighbours, List<float[]> stepLogits, Timings timings) {}
