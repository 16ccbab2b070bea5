package io.wasmgateway.host.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.wasmgateway.host.abi.Status;
import io.wasmgateway.host.shared.SharedData.Eviction;
import io.wasmgateway.host.shared.SharedData.Value;

import org.junit.jupiter.api.Test;

class SharedDataTest {

    private final AtomicLong clock = new AtomicLong();

    /** A store whose clock ticks once per use, so LRU order is exact whatever the machine's timer. */
    private SharedData store(int maxEntries, long maxBytes, Eviction eviction) {
        return new SharedData(maxEntries, maxBytes, eviction, clock::incrementAndGet, 0);
    }

    private SharedData store() {
        return store(1000, 1 << 20, Eviction.LRU);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Value value) {
        return new String(value.value(), StandardCharsets.UTF_8);
    }

    @Test
    void getOfAMissingKeyIsNull() {
        assertThat(store().get("missing")).isNull();
        assertThat(store().peek("missing")).isNull();
    }

    @Test
    void setWithCasZeroStoresUnconditionallyWithANonZeroCas() {
        SharedData data = store();
        assertThat(data.set("k", bytes("v1"), 0)).isEqualTo(SharedStatus.OK);
        assertThat(data.set("k", bytes("v2"), 0)).isEqualTo(SharedStatus.OK);

        Value value = data.get("k");
        assertThat(text(value)).isEqualTo("v2");
        assertThat(value.cas()).isNotZero();
    }

    @Test
    void everyWriteGivesTheKeyANewCas() {
        SharedData data = store();
        List<Integer> cases = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            data.set("k", bytes("v" + i), 0);
            cases.add(data.get("k").cas());
        }
        assertThat(cases).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void setWithTheCurrentCasSucceeds() {
        SharedData data = store();
        data.set("k", bytes("v1"), 0);
        int cas = data.get("k").cas();

        assertThat(data.set("k", bytes("v2"), cas)).isEqualTo(SharedStatus.OK);
        assertThat(text(data.get("k"))).isEqualTo("v2");
        assertThat(data.get("k").cas()).isNotEqualTo(cas);
    }

    @Test
    void setWithAStaleCasIsACasMismatchAndChangesNothing() {
        SharedData data = store();
        data.set("k", bytes("v1"), 0);
        int stale = data.get("k").cas();
        data.set("k", bytes("v2"), stale);
        Value current = data.get("k");

        assertThat(data.set("k", bytes("v3"), stale)).isEqualTo(SharedStatus.CAS_MISMATCH);
        assertThat(data.get("k")).isSameAs(current);
    }

    @Test
    void setOfAMissingKeyWithANonZeroCasSucceedsAsInCppHost() {
        SharedData data = store();
        assertThat(data.set("k", bytes("v"), 12345)).isEqualTo(SharedStatus.OK);
        assertThat(text(data.get("k"))).isEqualTo("v");
    }

    @Test
    void casSkipsZeroWhenTheCounterWraps() {
        // every stripe's counter starts just below 2^32 (-1 as an int), so the first writes go through 0
        SharedData data = new SharedData(1000, 1 << 20, Eviction.LRU, clock::incrementAndGet, -3);
        List<Integer> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.set("k", bytes("v" + i), 0);
            cases.add(data.get("k").cas());
        }
        assertThat(cases).containsExactly(-2, -1, 1, 2, 3);
    }

    @Test
    void aDeletedAndRecreatedKeyGetsACasItHasNotHadBefore() {
        SharedData data = store();
        data.set("k", bytes("v1"), 0);
        int before = data.get("k").cas();
        data.delete("k");
        data.set("k", bytes("v1"), 0);

        // a guest still holding the old cas must not overwrite the new entry
        assertThat(data.set("k", bytes("v2"), before)).isEqualTo(SharedStatus.CAS_MISMATCH);
    }

    @Test
    void deleteRemovesTheKeyOnlyWithTheCurrentCasOrZero() {
        SharedData data = store();
        data.set("k", bytes("v1"), 0);
        int stale = data.get("k").cas();
        data.set("k", bytes("v2"), 0);

        assertThat(data.delete("k", stale)).isEqualTo(SharedStatus.CAS_MISMATCH);
        assertThat(data.get("k")).isNotNull();
        assertThat(data.delete("k", data.get("k").cas())).isEqualTo(SharedStatus.OK);
        assertThat(data.get("k")).isNull();

        data.set("k", bytes("v3"), 0);
        assertThat(data.delete("k")).isEqualTo(SharedStatus.OK);
        assertThat(data.stats().entries()).isZero();
        assertThat(data.stats().bytes()).isZero();
    }

    @Test
    void deleteOfAMissingKeyIsNotFound() {
        assertThat(store().delete("missing")).isEqualTo(SharedStatus.NOT_FOUND);
        assertThat(store().delete("missing", 7)).isEqualTo(SharedStatus.NOT_FOUND);
    }

    @Test
    void keysAreFilteredByPrefixSortedAndPaged() {
        SharedData data = store();
        for (String key : List.of("rl/c", "rl/a", "other", "rl/e", "rl/b", "rl/d")) {
            data.set(key, bytes("x"), 0);
        }

        assertThat(data.keys("rl/", 0, 2)).isEqualTo(new SharedData.KeyPage(List.of("rl/a", "rl/b"), 5));
        assertThat(data.keys("rl/", 2, 2)).isEqualTo(new SharedData.KeyPage(List.of("rl/c", "rl/d"), 5));
        assertThat(data.keys("rl/", 4, 2)).isEqualTo(new SharedData.KeyPage(List.of("rl/e"), 5));
        assertThat(data.keys("rl/", 9, 2)).isEqualTo(new SharedData.KeyPage(List.of(), 5));
        assertThat(data.keys("", 0, Integer.MAX_VALUE).keys()).hasSize(6).startsWith("other");
        assertThatIllegalArgumentException().isThrownBy(() -> data.keys("", -1, 10));
    }

    @Test
    void statsCountEntriesAndUtf8KeyPlusValueBytes() {
        SharedData data = store(10, 1000, Eviction.LRU);
        data.set("ab", bytes("12345"), 0); // 2 + 5
        data.set("é€😀", new byte[3], 0); // 2 + 3 + 4 key bytes, 3 value bytes
        assertThat(data.stats()).isEqualTo(new SharedData.Stats(2, 7 + 12, 10, 1000, Eviction.LRU, 0, 0));

        data.set("ab", bytes("1"), 0);
        assertThat(data.stats().bytes()).isEqualTo(3 + 12);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedEntryOfTheWholeStore() {
        // ten keys spread over the stripes: the order must hold across stripes, not only within one
        SharedData data = store(10, 1 << 20, Eviction.LRU);
        for (int i = 0; i < 10; i++) {
            data.set("k" + i, bytes("v"), 0);
        }
        data.get("k0");
        data.set("k1", bytes("w"), 0);

        data.set("new1", bytes("v"), 0);
        data.set("new2", bytes("v"), 0);

        assertThat(data.keys("", 0, 100).keys())
                .containsExactlyInAnyOrder("k0", "k1", "k4", "k5", "k6", "k7", "k8", "k9", "new1", "new2");
        assertThat(data.stats().evictions()).isEqualTo(2);
    }

    @Test
    void lruEvictsAsManyEntriesAsTheBytesNeed() {
        SharedData data = store(100, 100, Eviction.LRU);
        for (int i = 0; i < 3; i++) {
            data.set("k" + i, new byte[28], 0); // 30 bytes each
        }
        assertThat(data.set("big", new byte[57], 0)).isEqualTo(SharedStatus.OK); // 60 bytes: two must go

        assertThat(data.keys("", 0, 100).keys()).containsExactlyInAnyOrder("k2", "big");
        assertThat(data.stats().bytes()).isEqualTo(90);
    }

    @Test
    void getRefreshesAnEntryButPeekDoesNot() {
        SharedData data = store(2, 1 << 20, Eviction.LRU);
        data.set("a", bytes("v"), 0);
        data.set("b", bytes("v"), 0);
        data.peek("a");
        data.set("c", bytes("v"), 0);
        assertThat(data.peek("a")).isNull();

        data.get("b");
        data.set("d", bytes("v"), 0);
        assertThat(data.keys("", 0, 10).keys()).containsExactly("b", "d");
    }

    @Test
    void noneEvictionRefusesASetThatDoesNotFitAndKeepsEverything() {
        SharedData data = store(2, 1 << 20, Eviction.NONE);
        data.set("a", bytes("1"), 0);
        data.set("b", bytes("2"), 0);

        assertThat(data.set("c", bytes("3"), 0)).isEqualTo(SharedStatus.FULL);
        assertThat(data.keys("", 0, 10).keys()).containsExactly("a", "b");
        assertThat(data.stats().refused()).isEqualTo(1);
        assertThat(data.stats().evictions()).isZero();
    }

    @Test
    void noneEvictionStillReplacesValuesWithinTheLimits() {
        SharedData data = store(2, 10, Eviction.NONE);
        data.set("a", bytes("1234"), 0); // 5 bytes
        data.set("b", bytes("1234"), 0); // 10 bytes: full on both counts

        assertThat(data.set("a", bytes("9999"), data.get("a").cas())).isEqualTo(SharedStatus.OK);
        assertThat(data.set("b", bytes("1"), 0)).isEqualTo(SharedStatus.OK);
        assertThat(data.stats().bytes()).isEqualTo(7);
    }

    @Test
    void noneEvictionRefusesAGrowingReplacementAndKeepsTheOldValue() {
        SharedData data = store(10, 10, Eviction.NONE);
        data.set("a", bytes("1234"), 0);
        data.set("b", bytes("1234"), 0);

        assertThat(data.set("a", bytes("12345"), 0)).isEqualTo(SharedStatus.FULL);
        assertThat(text(data.get("a"))).isEqualTo("1234");
    }

    @Test
    void anEntryLargerThanTheWholeStoreIsTooLargeAndEvictsNothing() {
        for (Eviction eviction : Eviction.values()) {
            SharedData data = store(10, 10, eviction);
            data.set("a", bytes("1"), 0);

            assertThat(data.set("b", new byte[10], 0)).isEqualTo(SharedStatus.TOO_LARGE);
            assertThat(data.keys("", 0, 10).keys()).containsExactly("a");
            assertThat(data.stats().refused()).isEqualTo(1);
        }
    }

    @Test
    void statusesMapToTheAbiStatuses() {
        assertThat(SharedStatus.OK.abiStatus()).isEqualTo(Status.OK);
        assertThat(SharedStatus.NOT_FOUND.abiStatus()).isEqualTo(Status.NOT_FOUND);
        assertThat(SharedStatus.TOO_LARGE.abiStatus()).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(SharedStatus.EMPTY.abiStatus()).isEqualTo(Status.EMPTY);
        assertThat(SharedStatus.CAS_MISMATCH.abiStatus()).isEqualTo(Status.CAS_MISMATCH);
        assertThat(SharedStatus.FULL.abiStatus()).isEqualTo(Status.INTERNAL_FAILURE);
    }

    @Test
    void limitsMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SharedData(0, 10, Eviction.LRU));
        assertThatIllegalArgumentException().isThrownBy(() -> new SharedData(10, 0, Eviction.NONE));
    }
}
