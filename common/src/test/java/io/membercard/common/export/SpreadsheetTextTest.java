package io.membercard.common.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SpreadsheetTextTest {

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsWrittenAsText() {
        assertThat(SpreadsheetText.cell("=HYPERLINK(\"http://evil\",\"click\")"))
                .isEqualTo("'=HYPERLINK(\"http://evil\",\"click\")");
        assertThat(SpreadsheetText.cell("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(SpreadsheetText.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(SpreadsheetText.cell("@SUM(A1:A9)")).isEqualTo("'@SUM(A1:A9)");
        assertThat(SpreadsheetText.cell("\t=1+1")).isEqualTo("'\t=1+1");
        assertThat(SpreadsheetText.cell("\r=1+1")).isEqualTo("'\r=1+1");
        assertThat(SpreadsheetText.cell("  =1+1")).isEqualTo("'  =1+1");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertThat(SpreadsheetText.cell("张三")).isEqualTo("张三");
        assertThat(SpreadsheetText.cell("Li Lei = 李雷")).isEqualTo("Li Lei = 李雷");
        assertThat(SpreadsheetText.cell("13800138000")).isEqualTo("13800138000");
        assertThat(SpreadsheetText.cell("")).isEqualTo("");
        assertThat(SpreadsheetText.cell(null)).isEqualTo("");
    }

    @Test
    void csvFieldsAreQuotedWhenTheyMustBeAndNeverRunAsFormulas() {
        assertThat(SpreadsheetText.csvField("plain")).isEqualTo("plain");
        assertThat(SpreadsheetText.csvField("a,b")).isEqualTo("\"a,b\"");
        assertThat(SpreadsheetText.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(SpreadsheetText.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(SpreadsheetText.csvField("=1+2,3")).isEqualTo("\"'=1+2,3\"");
        assertThat(SpreadsheetText.csvLine(Arrays.asList("=A1", "张三", null, "x,y")))
                .isEqualTo("'=A1,张三,,\"x,y\"\r\n");
    }
}
