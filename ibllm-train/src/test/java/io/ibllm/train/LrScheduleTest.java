package io.ibllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The half-cycle cosine schedule equals the reference's table (Python doubles) exactly. */
class LrScheduleTest {
    @ParameterizedTest
    @ValueSource(strings = {"stage1", "stage2"})
    @SuppressWarnings("unchecked")
    void matchesReferenceTable(String stage) throws Exception {
        Map<String, Object> gs = TrainGoldenTest.stageGolden(stage);
        Map<String, Object> opt = (Map<String, Object>) gs.get("optimizer");
        double lr = ((Number) opt.get("lr")).doubleValue();
        boolean s1 = stage.equals("stage1");
        LrSchedule sched = new LrSchedule(lr, 0.0, s1 ? 5 : 1, s1 ? 150 : 4, true);
        assertEquals(lr, LrSchedule.fromBase(s1 ? 1e-4 : 1e-3, 32), 0.0);
        for (Object o : (List<Object>) gs.get("lr_table")) {
            Map<String, Object> row = (Map<String, Object>) o;
            double e = ((Number) row.get("epoch")).doubleValue();
            assertEquals(((Number) row.get("lr")).doubleValue(), sched.at(e), 0.0, "lr at epoch " + e);
        }
    }
}
