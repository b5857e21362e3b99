package io.membercard.member.importing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The csv's records counted before it is read: what the parser will find, never fewer. */
class SheetReaderRecordsTest {

    private static long records(String csv, Charset charset) throws IOException {
        Path file = Files.createTempFile("records", ".csv");
        try {
            Files.write(file, csv.getBytes(charset));
            return SheetReader.records(file);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void emptyLinesAndLineBreaksInQuotesAreNotRecords() throws IOException {
        assertThat(records("姓名,手机\r\n甲,13800000000\r\n\r\n\"多\n行\",\"13800000001\"\n\n乙,\"\"\"x\"\"\"",
                StandardCharsets.UTF_8)).isEqualTo(4);
        assertThat(records("姓名,手机\n甲,13800000000\n", Charset.forName("GB18030"))).isEqualTo(2);
        assertThat(records("", StandardCharsets.UTF_8)).isZero();
    }
}
