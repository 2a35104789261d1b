package io.quasid.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.spi.CodebookShape;
import io.quasid.spi.Sid;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TestStableAssignment {
    private static final CodebookShape SHAPE = new CodebookShape(2, 10);
    private static final SidTable PUBLISHED = new SidTable(List.of("a", "b", "c"),
            new Sid[] {Sid.of(1, 2), Sid.of(1, 2), Sid.of(3, 0)}, new int[] {0, 1, 0}, SHAPE);
    /** What the tokenizer makes now: a different SID for the published "a", and four new items. */
    private static final SidTable ASSIGNED = new SidTable(List.of("g", "a", "f", "e", "d"),
            new Sid[] {Sid.of(5, 5), Sid.of(9, 9), Sid.of(5, 5), Sid.of(3, 1), Sid.of(1, 2)}, SHAPE);

    @Test
    void publishedItemsKeepTheirSidsAndDeduplicationCodes() {
        SidTable t = StableAssignment.extend(PUBLISHED, ASSIGNED).table();
        assertThat(t.items()).startsWith("a", "b", "c");
        for (int i = 0; i < 3; i++) {
            assertThat(t.sid(i)).isEqualTo(PUBLISHED.sid(i));
            assertThat(t.dedup(i)).isEqualTo(PUBLISHED.dedup(i));
        }
    }

    @Test
    void newItemsGetTheTokenizersCodesAndTheNextFreeDeduplicationCodeInItemIdOrder() {
        SidTable t = StableAssignment.extend(PUBLISHED, ASSIGNED).table();
        assertThat(t.items()).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(t.sid(3)).isEqualTo(Sid.of(1, 2));
        assertThat(t.dedup(3)).as("after b's 1").isEqualTo(2);
        assertThat(t.dedup(4)).isZero();
        assertThat(t.dedup(5)).isZero();
        assertThat(t.dedup(6)).as("g after f").isEqualTo(1);
    }

    @Test
    void theSummaryCountsCollisionsWithPublishedSidsAndTheirDepth() {
        StableAssignment.Summary s = StableAssignment.extend(PUBLISHED, ASSIGNED).summary();
        assertThat(s.published()).isEqualTo(3);
        assertThat(s.added()).isEqualTo(4);
        assertThat(s.collidingWithPublished()).as("d holds a's and b's SID").isEqualTo(1);
        assertThat(s.collidingAmongNew()).as("g holds f's").isEqualTo(1);
        assertThat(s.sharedPrefix()).as("f, g share nothing; e shares 3; d all").containsExactly(2, 1, 1);
    }

    @Test
    void aPublishedSidNeverChangesOnALaterCall() {
        SidTable first = StableAssignment.extend(PUBLISHED, ASSIGNED).table();
        SidTable again = StableAssignment.extend(first, new SidTable(List.of("d", "h"), new Sid[] {Sid.of(0, 0), Sid.of(1, 2)}, SHAPE)).table();
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.sid(i)).isEqualTo(first.sid(i));
            assertThat(again.dedup(i)).isEqualTo(first.dedup(i));
        }
        assertThat(again.dedup(again.size() - 1)).as("h after d's 2").isEqualTo(3);
        assertThat(StableAssignment.extend(PUBLISHED, ASSIGNED).table().sids()).as("deterministic").containsExactly(first.sids());
    }

    @Test
    void nothingPublishedGivesEveryItemTheTokenizersSid() {
        SidTable t = StableAssignment.extend(null, ASSIGNED).table();
        assertThat(t.items()).containsExactly("a", "d", "e", "f", "g");
        assertThat(t.sid(0)).isEqualTo(Sid.of(9, 9));
    }

    @Test
    void anotherCodebookShapeFails() {
        SidTable other = new SidTable(List.of("x"), new Sid[] {Sid.of(1, 1)}, new CodebookShape(2, 16));
        assertThatThrownBy(() -> StableAssignment.extend(PUBLISHED, other)).hasMessageContaining("only be extended by the tokenizer that made it");
    }
}
