package io.quasid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quasid.core.io.InputFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestDatasetReader {
    @TempDir
    Path dir;

    private static final String ITEMS = """
            item,title,brand,categories,price
            a,"Rose soap, large",Acme,Beauty|Bath,3.5
            b,Shampoo,,Beauty|Hair,
            c,"Lip ""gloss""\nred",Glow,Beauty,12
            """;

    private Dataset read(String interactions, UnknownItems policy) throws IOException {
        Files.writeString(dir.resolve("items.csv"), ITEMS);
        Files.writeString(dir.resolve("interactions.csv"), interactions);
        return new DatasetReader(policy).read(dir);
    }

    @Test
    void readsCsvItemsWithQuotedFieldsAndMissingPrices() throws IOException {
        Dataset d = read("user,item\nu1,a\n", UnknownItems.FAIL);
        Catalogue c = d.catalogue();
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.item(0).title()).isEqualTo("Rose soap, large");
        assertThat(c.item(0).categories()).containsExactly("Beauty", "Bath");
        assertThat(c.item(1).hasPrice()).isFalse();
        assertThat(c.item(1).brand()).isEmpty();
        assertThat(c.item(2).title()).isEqualTo("Lip \"gloss\"\nred");
        assertThat(c.item(2).price()).isEqualTo(12.0);
    }

    @Test
    void ordersCsvInteractionsByTimestampThenFileOrder() throws IOException {
        Dataset d = read("user,item,timestamp\nu1,c,30\nu1,a,10\nu2,b,5\nu1,b,10\n", UnknownItems.FAIL);
        assertThat(d.userCount()).isEqualTo(2);
        assertThat(d.sequence(0)).containsExactly(0, 1, 2);
        assertThat(d.sequence(1)).containsExactly(1);
    }

    @Test
    void keepsFileOrderWithoutTimestamps() throws IOException {
        Dataset d = read("user,item\nu1,c\nu1,a\n", UnknownItems.FAIL);
        assertThat(d.sequence(0)).containsExactly(2, 0);
    }

    @Test
    void failsOnUnknownItemsWithCountAndExamples() {
        assertThatThrownBy(() -> read("user,item\nu1,a\nu1,zz\nu2,yy\nu2,zz\n", UnknownItems.FAIL))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("interactions.csv")
                .hasMessageContaining("3 interactions (2 distinct items)")
                .hasMessageContaining("zz (line 3)")
                .hasMessageContaining("yy (line 4)")
                .hasMessageContaining("--unknown-items skip");
    }

    @Test
    void skipsUnknownItemsWhenAsked() throws IOException {
        Dataset d = read("user,item\nu1,a\nu1,zz\nu2,zz\n", UnknownItems.SKIP);
        assertThat(d.userCount()).isEqualTo(1);
        assertThat(d.interactions()).isEqualTo(1);
    }

    @Test
    void reportsFileAndLineOfARaggedRow() {
        assertThatThrownBy(() -> read("user,item\nu1,a\nu1,b,extra\n", UnknownItems.FAIL))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("interactions.csv:3:")
                .hasMessageContaining("expected 2 fields");
    }

    @Test
    void reportsFileAndLineOfABadTimestamp() {
        assertThatThrownBy(() -> read("user,item,timestamp\nu1,a,1\nu1,b,noon\n", UnknownItems.FAIL))
                .hasMessageContaining("interactions.csv:3:")
                .hasMessageContaining("'noon' is not a number");
    }

    @Test
    void reportsFileAndLineOfABadPrice() throws IOException {
        Files.writeString(dir.resolve("items.csv"), "item,title,price\na,Soap,3\nb,Gel,cheap\n");
        Files.writeString(dir.resolve("interactions.csv"), "user,item\nu1,a\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("items.csv:3:")
                .hasMessageContaining("price 'cheap'");
    }

    @Test
    void rejectsANegativePrice() throws IOException {
        Files.writeString(dir.resolve("items.csv"), "item,price\na,-2\n");
        Files.writeString(dir.resolve("interactions.csv"), "user,item\nu1,a\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("items.csv:2:")
                .hasMessageContaining("out of range");
    }

    @Test
    void rejectsAnEmptyCatalogue() throws IOException {
        Files.writeString(dir.resolve("items.csv"), "item,title,price\n");
        Files.writeString(dir.resolve("interactions.csv"), "user,item\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("catalogue is empty");
    }

    @Test
    void rejectsAMissingRequiredColumn() throws IOException {
        Files.writeString(dir.resolve("items.csv"), "item,title\na,Soap\n");
        Files.writeString(dir.resolve("interactions.csv"), "customer,item\nu1,a\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("interactions.csv:1:")
                .hasMessageContaining("no column 'user'");
    }

    @Test
    void rejectsAMissingFolder() {
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir.resolve("nowhere")))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("nowhere")
                .hasMessageContaining("does not exist");
    }

    @Test
    void rejectsAFolderWithoutADataSet() {
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("expected user_sequence.txt");
    }

    @Test
    void rejectsAMissingItemFile() throws IOException {
        Files.writeString(dir.resolve("interactions.csv"), "user,item\nu1,a\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("items.csv")
                .hasMessageContaining("does not exist");
    }

    @Test
    void readsTheP5AndRecBoleFormat() throws IOException {
        Files.writeString(dir.resolve("shop.item"), "item_id:token\ttitle:token\tcategories:token_seq\tprice:float\tbrand:token\n"
                + "x1\t\"Cream\n\tdeluxe\"\t\"'Beauty', \"\"Men's\"\"\"\t\t\"B\"\"rand\"\n"
                + "x2\tGel\t'Beauty'\t2.5\t\n");
        Files.writeString(dir.resolve("user_sequence.txt"), "alice x2 x1 x2\n\nbob x1\n");
        Dataset d = new DatasetReader(UnknownItems.FAIL).read(dir);
        assertThat(d.catalogue().item(0).title()).isEqualTo("Cream\n\tdeluxe");
        assertThat(d.catalogue().item(0).categories()).containsExactly("Beauty", "Men's");
        assertThat(d.catalogue().item(0).brand()).isEqualTo("B\"rand");
        assertThat(d.catalogue().item(0).hasPrice()).isFalse();
        assertThat(d.sequence(0)).containsExactly(1, 0, 1);
        assertThat(d.user(1)).isEqualTo("bob");
    }

    @Test
    void reportsTheLineOfAUserWithoutItems() throws IOException {
        Files.writeString(dir.resolve("shop.item"), "item_id:token\nx1\n");
        Files.writeString(dir.resolve("user_sequence.txt"), "alice x1\nbob\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("user_sequence.txt:2:")
                .hasMessageContaining("user 'bob' has no items");
    }

    @Test
    void reportsTheLineOfARaggedItemRow() throws IOException {
        Files.writeString(dir.resolve("shop.item"), "item_id:token\ttitle:token\nx1\tA\nx2\tB\textra\n");
        Files.writeString(dir.resolve("user_sequence.txt"), "alice x1\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .hasMessageContaining("shop.item:3:")
                .hasMessageContaining("expected 2 fields");
    }

    @Test
    void reportsAnUnclosedQuote() throws IOException {
        Files.writeString(dir.resolve("shop.item"), "item_id:token\ttitle:token\nx1\t\"never closed\n");
        Files.writeString(dir.resolve("user_sequence.txt"), "alice x1\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("shop.item");
    }

    @Test
    void namesTheLineOfBytesThatAreNotUtf8InTheItemFile() throws IOException {
        // far enough into the file that a reader decoding ahead would be on an earlier line
        byte[] items = ("item_id:token\ttitle:token\n" + "x1\tA\n".repeat(3000) + "x2\tB\u00ff\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        items[items.length - 3] = (byte) 0xff; // the lead byte of U+00FF's encoding (c3 bf) becomes 0xff
        Files.write(dir.resolve("shop.item"), items);
        Files.writeString(dir.resolve("user_sequence.txt"), "alice x1\n");
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("shop.item:3002:")
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void namesTheLineOfBytesThatAreNotUtf8InTheUserSequences() throws IOException {
        Files.writeString(dir.resolve("shop.item"), "item_id:token\nx1\n");
        Files.write(dir.resolve("user_sequence.txt"), new byte[] {'a', ' ', 'x', '1', '\n', 'b', (byte) 0xc3, ' ', 'x', '1', '\n'});
        assertThatThrownBy(() -> new DatasetReader(UnknownItems.FAIL).read(dir))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("user_sequence.txt:2:")
                .hasMessageContaining("not UTF-8");
    }
}
