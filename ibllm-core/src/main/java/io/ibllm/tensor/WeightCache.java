package io.ibllm.tensor;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Remembers the packed form (or checked view) of weights passed to {@link Ops} as plain {@link Tensor}s, so a model
 * that never calls {@link PackedWeight#pack} still repacks each quantised or strided weight once,
 * not on every call. Keyed by identity; an entry goes when its tensor is collected (the packed
 * form must therefore never reference the tensor, only its segment).
 */
final class WeightCache {
    private static final Map<Tensor, PackedWeight> PACKED = Collections.synchronizedMap(new WeakHashMap<>());

    private static final Map<Tensor, PanelWeight> PANELS = Collections.synchronizedMap(new WeakHashMap<>());

    private WeightCache() {}

    static PanelWeight panels(Tensor w) {
        PanelWeight p = PANELS.get(w);
        if (p == null) {
            p = PanelWeight.of(w);
            PANELS.put(w, p);
        }
        return p;
    }

    static PackedWeight packed(Tensor w) {
        if (w.dtype() == DType.F32 && w.isContiguous()) return PackedWeight.view(w);
        PackedWeight p = PACKED.get(w);
        if (p == null) {
            // F16/BF16 stay zero-copy views (cached: an F16 view scans once for inf/NaN)
            p = !w.dtype().isQuantized() && w.isContiguous() ? PackedWeight.view(w) : PackedWeight.pack(w);
            PACKED.put(w, p);
        }
        return p;
    }
}
