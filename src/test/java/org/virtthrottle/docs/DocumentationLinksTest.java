package org.virtthrottle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README stays short and reaches every page of docs/ in one click; no page links to a file that is not there. */
class DocumentationLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    private static List<Path> links(Path page) throws Exception {
        List<Path> targets = new ArrayList<>();
        Matcher m = LINK.matcher(Files.readString(page));
        while (m.find()) {
            if (!m.group(1).contains("://")) {
                targets.add(page.resolveSibling(m.group(1)).normalize());
            }
        }
        return targets;
    }

    @Test
    void readmeIsShortAndLinksEveryPage() throws Exception {
        Path readme = Path.of("README.md");
        assertThat(Files.size(readme)).isLessThanOrEqualTo(12 * 1024);
        List<Path> pages = ConsoleExamples.pages(Path.of(""));
        assertThat(links(readme)).containsAll(pages.subList(1, pages.size()));
    }

    @Test
    void everyRelativeLinkResolves() throws Exception {
        for (Path page : ConsoleExamples.pages(Path.of(""))) {
            assertThat(links(page)).as(page.toString()).allSatisfy(target -> assertThat(target)
                    .as(page + " links to " + target)
                    .exists());
        }
    }
}
