package io.membercard.common.paging;

import io.membercard.common.api.ApiException;
import io.membercard.common.web.QueryParams;

/**
 * A requested page: {@code pageIndex} from 1, {@code pageSize} default 20, at most 500. Pages reach the first
 * {@value #MAX_ROWS} rows of a list ({@code pageIndex × pageSize} at most that): a page further on would make the
 * database read and skip every row before it, for any caller who asks.
 */
public record PageQuery(int pageIndex, int pageSize) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 500;
    public static final int MAX_ROWS = 100_000;

    public PageQuery {
        check("pageIndex", pageIndex, "pageSize", pageSize);
    }

    /** Parses the raw query values; absent values take the defaults. */
    public static PageQuery parse(String pageIndex, String pageSize) {
        return parse("pageIndex", pageIndex, "pageSize", pageSize, DEFAULT_SIZE);
    }

    /**
     * Parses the page of a list inside an answer (an order's details, say), whose parameters have names of their
     * own; refusals name them.
     */
    public static PageQuery parse(String indexName, String rawIndex, String sizeName, String rawSize,
            int defaultSize) {
        Integer index = QueryParams.optionalInt(indexName, rawIndex);
        Integer size = QueryParams.optionalInt(sizeName, rawSize);
        int pageIndex = index == null ? 1 : index;
        int pageSize = size == null ? defaultSize : size;
        check(indexName, pageIndex, sizeName, pageSize);
        return new PageQuery(pageIndex, pageSize);
    }

    private static void check(String indexName, int pageIndex, String sizeName, int pageSize) {
        if (pageIndex < 1) {
            throw ApiException.badInput(indexName, "must be 1 or more");
        }
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw ApiException.badInput(sizeName, "must be from 1 to " + MAX_SIZE);
        }
        if ((long) pageIndex * pageSize > MAX_ROWS) {
            throw ApiException.badInput(indexName, "must be at most " + MAX_ROWS / pageSize + " with " + sizeName
                    + " " + pageSize + ": pages reach the first " + MAX_ROWS + " rows; narrow the filters to see "
                    + "further");
        }
    }

    /** Rows to skip. */
    public long offset() {
        return (long) (pageIndex - 1) * pageSize;
    }
}
