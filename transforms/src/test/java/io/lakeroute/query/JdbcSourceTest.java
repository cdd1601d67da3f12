package io.lakeroute.query;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JdbcSourceTest {
  private static final JdbcSource H2 = JdbcSource.of("jdbc:h2:mem:jdbc_source", null, null, null);

  @Test
  void takesAFetchSizeFromOneTo100000() {
    assertThat(H2.withFetchSize(1).fetchSize(), equalTo(1));
    assertThat(H2.withFetchSize(100_000).fetchSize(), equalTo(100_000));
  }

  @Test
  void refusesAFetchSizeOutsideItsRangeNamingTheSettingAndTheRange() {
    for (int size : new int[] {0, -1, 100_001, 1_000_000}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> H2.withFetchSize(size));
      assertThat(
          e.getMessage(),
          allOf(
              containsString("fetch size (JdbcSource.withFetchSize)"),
              containsString("between 1 and 100,000"),
              containsString(String.format(java.util.Locale.ROOT, "got %,d", size))));
    }
  }

  @Test
  void refusesAUrlThatIsNotJdbcWithoutItsPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JdbcSource.of("postgresql://h/db?password=secret", null, null, null));
    assertThat(e.getMessage(), containsString("JDBC URL must start with 'jdbc:'"));
    assertThat(e.getMessage().contains("secret"), equalTo(false));
  }

  @Test
  void zeroDatesAreRefusedUnlessAMariaDbSourceAsksForNull() {
    JdbcSource mariadb =
        JdbcSource.of("jdbc:mariadb://127.0.0.1/shop", "org.mariadb.jdbc.Driver", null, null);
    assertThat(mariadb.dialect(), equalTo(MariaDbSourceDialect.INSTANCE));
    assertThat(
        mariadb.withZeroDate(" NULL ").dialect(), equalTo(MariaDbSourceDialect.ZERO_DATES_AS_NULL));
    assertThat(
        mariadb.withZeroDate("null").withZeroDate("refuse").dialect(),
        equalTo(MariaDbSourceDialect.INSTANCE));
    // Refusing is every source's default, so it may be said of any.
    assertThat(H2.withZeroDate("refuse"), equalTo(H2));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> H2.withZeroDate("null")).getMessage(),
        allOf(
            containsString("JdbcSource.withZeroDate(null) is for MariaDB and MySQL sources"),
            containsString("the source is H2")));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> mariadb.withZeroDate("zero"))
            .getMessage(),
        containsString("JdbcSource.withZeroDate(zero) is not valid: use refuse or null"));
  }
}
