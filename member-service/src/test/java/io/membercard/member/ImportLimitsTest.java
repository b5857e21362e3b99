package io.membercard.member;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

import io.membercard.common.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issue 10, item 2: a member file is read as a stream and bounded: rows, line length and inflated size. A file past a
 * bound is refused whole (400 naming file) and nothing of it is kept.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(OtherServices.class)
class ImportLimitsTest {
    private final Pool pool;

    ImportLimitsTest(Pool pool) {
        this.pool = pool;
    }

    /** Uploads of the tenant that kept anything: a record that is ready, or any chunk of rows. */
    private long keptUploads(long tenant) {
        return pool.preparedQuery(
                """
                        select count(*) from import_file f where f.tenant_id = $1
                        and ((f.ready and f.purged_at is null) or exists (select 1 from import_chunk c where c.file_id = f.id))""")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aCsvOfMoreRowsThanOneFileMayHaveIsRefusedWholeAndNothingIsKept() {
        Members t = new Members();
        StringBuilder csv = new StringBuilder("姓名,手机\n");
        for (int i = 0; i <= 200_000; i++) {
            csv.append('m').append(i).append(",137").append(String.format("%08d", i)).append('\n');
        }
        given().header("Authorization", t.manager)
                .multiPart("file", "big.csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/member/member/upload").then().statusCode(400)
                .body("status", org.hamcrest.Matchers.equalTo(400))
                .body("message", startsWith("file: has more than 200000 member rows"));
        assertThat(keptUploads(t.tenant)).isZero();
    }

    @Test
    void aCsvOfOneEndlessLineIsRefused() {
        Members t = new Members();
        byte[] line = ("姓名,手机\n\"" + "x".repeat(200_000) + "\",13700000000\n").getBytes(StandardCharsets.UTF_8);
        given().header("Authorization", t.manager).multiPart("file", "long.csv", line)
                .post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: has a line longer than 65536 characters"));
        assertThat(keptUploads(t.tenant)).isZero();
    }

    /** Writes one part of a workbook. */
    @FunctionalInterface
    interface PartWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A real workbook (written by fastexcel) whose first sheet's XML is what {@code sheet} writes, with an extra part
     * {@code extraPart} (replacing one of that name) when asked.
     */
    static byte[] workbook(PartWriter sheet, String extraPart, PartWriter extra) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(plain, "test", "1.0")) {
            Worksheet ws = workbook.newWorksheet("members");
            ws.value(0, 0, "姓名");
            ws.value(0, 1, "手机");
        }
        Path written = Files.createTempFile("workbook", ".xlsx");
        Files.write(written, plain.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(written.toFile()); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            for (var entries = in.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().equals(extraPart)) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    sheet.write(zip);
                } else {
                    try (var part = in.getInputStream(entry)) {
                        part.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
            if (extraPart != null) {
                zip.putNextEntry(new ZipEntry(extraPart));
                extra.write(zip);
                zip.closeEntry();
            }
        } finally {
            Files.delete(written);
        }
        return out.toByteArray();
    }

    /**
     * A workbook whose sheet is {@code rows} copies of one member row (a few hundred kilobytes that inflate to
     * {@code rows} × ~90 bytes), and {@code extraBytes} of spaces in {@code extraPart} when asked.
     */
    static byte[] inflatingXlsx(int rows, String extraPart, long extraBytes) throws IOException {
        return workbook(out -> sheet(out, rows), extraPart, out -> {
            byte[] spaces = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (long bytes = 0; bytes < extraBytes; bytes += spaces.length) {
                out.write(spaces);
            }
        });
    }

    private static void sheet(OutputStream out, int rows) throws IOException {
        out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                + "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is>"
                + "</c><c r=\"B1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>").getBytes(StandardCharsets.UTF_8));
        byte[] row = ("<row><c t=\"inlineStr\"><is><t>m</t></is></c><c t=\"inlineStr\"><is><t>13700000000</t></is>"
                + "</c></row>").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < rows; i++) {
            out.write(row);
        }
        out.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anXlsxOfAFewHundredKilobytesThatInflatesToMillionsOfRowsIsRefused() throws IOException {
        Members t = new Members();
        // The review's file: 2 million rows, ~200 MB of sheet, in well under 1 MB.
        byte[] twoMillionRows = inflatingXlsx(2_000_000, null, 0);
        assertThat(twoMillionRows.length).isLessThan(1024 * 1024);
        given().header("Authorization", t.manager).multiPart("file", "rows.xlsx", twoMillionRows)
                .post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: has more than 200000 member rows"));
        // Counted before it is read (its rows as the scan goes by), as is a million.
        given().header("Authorization", t.manager).multiPart("file", "rows.xlsx", inflatingXlsx(1_000_000, null, 0))
                .post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: has more than 200000 member rows"));
        byte[] inflating = inflatingXlsx(10, "xl/media/image1.bin", 300L * 1024 * 1024);
        assertThat(inflating.length).isLessThan(1024 * 1024);
        given().header("Authorization", t.manager).multiPart("file", "strings.xlsx", inflating)
                .post("/api/member/member/upload").then().statusCode(400)
                .body("message", startsWith("file: inflates to more than 128 MB in one part"));
        assertThat(keptUploads(t.tenant)).isZero();
    }

    /** A workbook whose first sheet's XML is {@code sheet}, and {@code extra} as {@code extraPart} when asked. */
    static byte[] workbookWithSheet(String sheet, String extraPart, byte[] extra) throws IOException {
        return workbook(out -> out.write(sheet.getBytes(StandardCharsets.UTF_8)), extraPart, out -> out.write(extra));
    }

    private static String sheetOf(String rows) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                + "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is>"
                + "</c><c r=\"B1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>" + rows + "</sheetData></worksheet>";
    }

    /**
     * The review's workbooks: small inflated and within the size caps, yet each made the reader take more than a
     * 512 MB service has (one cell of 120 million characters, a cell at column ZZZZZZ, millions of shared strings),
     * and entities a document type declaration expands.
     */
    @Test
    void aWorkbookThatWouldCostTheReaderGigabytesIsRefusedBeforeItIsRead() throws IOException {
        Members t = new Members();
        String giant = sheetOf("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>" + "x".repeat(20_000_000)
                + "</t></is></c></row>");
        String far = sheetOf("<row r=\"2\"><c r=\"ZZZZZZ2\" t=\"inlineStr\"><is><t>x</t></is></c></row>");
        String wide = sheetOf("<row r=\"2\">" + "<c><v>1</v></c>".repeat(300) + "</row>");
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">]>"
                + sheetOf("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&a;</t></is></c></row>")
                        .substring("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".length());
        StringBuilder strings = new StringBuilder("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
                + "main\">");
        for (int i = 0; i <= 1_000_000; i++) {
            strings.append("<si><t>a</t></si>");
        }
        strings.append("</sst>");
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("file: has a cell of more than 16384 bytes of text", workbookWithSheet(giant, null, null));
        files.put("file: has a cell beyond column IV (row 2)", workbookWithSheet(far, null, null));
        files.put("file: has a row of more than 256 cells", workbookWithSheet(wide, null, null));
        files.put("file: has a document type declaration", workbookWithSheet(entity, null, null));
        files.put("file: has more than 1000000 shared strings", workbookWithSheet(sheetOf(""),
                "xl/sharedStrings.xml", strings.toString().getBytes(StandardCharsets.UTF_8)));
        files.forEach((message, file) -> {
            assertThat(file.length).isLessThan(1024 * 1024);
            given().header("Authorization", t.manager).multiPart("file", "hostile.xlsx", file)
                    .post("/api/member/member/upload").then().statusCode(400)
                    .body("message", startsWith(message));
        });
        assertThat(keptUploads(t.tenant)).isZero();
    }

    @Test
    void aFileWithinTheBoundsIsKeptInChunksOfAThousandRows() {
        Members t = new Members();
        StringBuilder csv = new StringBuilder("姓名,手机\n");
        for (int i = 0; i < 2_500; i++) {
            csv.append('m').append(i).append(",137").append(String.format("%08d", i)).append('\n');
        }
        String path = ImportTest.upload(t.manager, "chunks.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        var chunks = pool.preparedQuery("""
                select c.row_count from import_chunk c join import_file f on f.id = c.file_id
                where f.tenant_id = $1 and f.id = $2 order by c.chunk_no""")
                .execute(Tuple.of(t.tenant, java.util.UUID.fromString(path.substring("upload/".length()))))
                .await().indefinitely();
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        chunks.forEach(row -> sizes.add(row.getInteger(0)));
        assertThat(sizes).containsExactly(1000, 1000, 500);
        given().header("Authorization", t.manager).multiPart("file", "empty.csv", new byte[0])
                .post("/api/member/member/upload").then().statusCode(400).body("message", containsString("empty"));
    }
}
