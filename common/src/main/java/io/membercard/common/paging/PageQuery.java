package io.membercard.common.paging;

import io.membercard.common.api.ApiException;
import io.membercard.common.web.QueryParams;

/** A requested page: {@code pageIndex} from 1, {@code pageSize} default 20, at most 500. */
public record PageQuery(int pageIndex, int pageSize) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 500;

    public PageQuery {
        if (pageIndex < 1) {
            throw ApiException.badInput("pageIndex", "must be 1 or more");
        }
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw ApiException.badInput("pageSize", "must be from 1 to " + MAX_SIZE);
        }
    }

    /** Parses the raw query values; absent values take the defaults. */
    public static PageQuery parse(String pageIndex, String pageSize) {
        Integer index = QueryParams.optionalInt("pageIndex", pageIndex);
        Integer size = QueryParams.optionalInt("pageSize", pageSize);
        return new PageQuery(index == null ? 1 : index, size == null ? DEFAULT_SIZE : size);
    }

    /** Rows to skip. */
    public long offset() {
        return (long) (pageIndex - 1) * pageSize;
    }
}
