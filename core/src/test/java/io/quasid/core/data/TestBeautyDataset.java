package io.quasid.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.quasid.core.BeautyData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

final class TestBeautyDataset {
    private static Dataset beauty;

    @BeforeAll
    static void read() {
        beauty = new DatasetReader(UnknownItems.FAIL).read(BeautyData.dir());
    }

    @Test
    void hasThePublishedCounts() {
        assertThat(beauty.userCount()).isEqualTo(22_363);
        assertThat(beauty.catalogue().size()).isEqualTo(12_101);
        assertThat(beauty.interactions()).isEqualTo(198_502);
    }

    @Test
    void knowsThePriceOf11516Items() {
        assertThat(beauty.catalogue().pricedItems()).isEqualTo(11_516);
    }

    @Test
    void keepsTabsAndNewlinesInsideQuotedTitles() {
        Catalogue c = beauty.catalogue();
        assertThat(c.item(c.indexOf("B0001ZYL3Q").getAsInt()).title())
                .isEqualTo("TheraNeem Cream - Original Organix South 2 oz Cream \nVanilla");
        assertThat(c.item(c.indexOf("B000SDI6MI").getAsInt()).title())
                .isEqualTo("- \t DESIGNER SKIN ANGEL KIWI PEAR MOISTURIZING BODY LOTION 20 OZ");
        assertThat(c.item(c.indexOf("B008UAIM52").getAsInt()).title())
                .startsWith("350BUY \t 1200pcs Nail Art");
        assertThat(c.item(c.indexOf("B0001ZYL3Q").getAsInt()).price()).isEqualTo(11.28);
        assertThat(c.item(c.indexOf("B0001ZYL3Q").getAsInt()).brand()).isEqualTo("Organix");
    }

    @Test
    void parsesQuotedCategoryLists() {
        Item prada = beauty.catalogue().item(beauty.catalogue().indexOf("9788072216").getAsInt());
        assertThat(prada.categories()).containsExactly("Beauty", "Fragrance", "Women's", "Eau de Parfum");
        assertThat(prada.brand()).isEqualTo("Prada");
        assertThat(prada.price()).isEqualTo(65.86);
    }

    @Test
    void keepsSequencesInFileOrder() {
        assertThat(beauty.user(0)).isEqualTo("A1YJEY40YUW4SE");
        int[] first = beauty.sequence(0);
        assertThat(first).hasSize(5);
        assertThat(beauty.catalogue().item(first[0]).id()).isEqualTo("B004756YJA");
        assertThat(beauty.catalogue().item(first[4]).id()).isEqualTo("B002WLWX82");
    }

    @Test
    void splitsLeaveOneOutWithEveryUserEvaluated() {
        LeaveOneOutSplit split = new LeaveOneOutSplit(beauty);
        assertThat(split.evaluatedUsers()).isEqualTo(22_363);
        assertThat(split.trainInteractions()).isEqualTo(198_502 - 2 * 22_363);
        int[] cold = split.coldItems(LeaveOneOutSplit.DEFAULT_COLD_SHARE);
        assertThat(cold.length).isGreaterThanOrEqualTo(1_210).isLessThan(12_101 / 2);
    }
}
