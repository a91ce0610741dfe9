package io.pitaya.samples.tadpole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tadpole page in two windows of headless Chromium: one swims, the other sees it swim, read its chat line
 * over it, and sees it leave when its window closes. Uses the system's Chromium and chromedriver only; skipped where
 * they are not installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "pitaya.acceptor.tcp.port=0")
class TadpolePageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @LocalServerPort
    private int port;

    @TempDir
    private Path profile;

    private WebDriver browser;

    @BeforeAll
    static void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (Debian: apt-get install chromium chromium-driver)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER + " (Debian: apt-get install chromium-driver)");
    }

    @BeforeEach
    void startBrowser() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                        // Both windows keep their timers at full speed: the one not in front still swims.
                        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                        "--disable-backgrounding-occluded-windows", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void oneTadpoleSwimsTalksAndLeavesAndTheOtherSeesIt() {
        String alice = browser.getWindowHandle();
        long aliceId = enter();

        browser.switchTo().newWindow(WindowType.WINDOW);
        String bob = browser.getWindowHandle();
        long bobId = enter();
        assertThat(bobId).isNotEqualTo(aliceId);

        browser.switchTo().window(alice);
        Number startX = (Number) js("return world.me.x;");
        js("world.target = {x: world.me.x + 150, y: world.me.y - 40};");
        await(() -> js("return world.target;") == null); // arrived
        Number endX = (Number) js("return world.me.x;");
        Number endY = (Number) js("return world.me.y;");
        assertThat(endX.doubleValue() - startX.doubleValue()).isGreaterThan(100);

        browser.switchTo().window(bob);
        await(() -> Boolean.TRUE.equals(js("const a = world.others[" + aliceId + "]; return !!a && Math.abs(a.x - " + endX
                + ") < 1 && Math.abs(a.y - " + endY + ") < 1;")));

        browser.switchTo().window(alice);
        browser.findElement(By.id("say")).sendKeys("hello, pond", Keys.ENTER);
        browser.switchTo().window(bob);
        await(() -> "hello, pond".equals(js("const a = world.others[" + aliceId + "]; return a && a.message;")));

        browser.switchTo().window(alice);
        browser.close();
        browser.switchTo().window(bob);
        await(() -> Boolean.TRUE.equals(js("return world.others[" + aliceId + "] === undefined;")));
    }

    /** Opens the page in the current window and waits until its tadpole is in the world. */
    private long enter() {
        browser.get("http://localhost:" + port + "/");
        await(() -> js("return world.me && world.me.id;") != null);
        return ((Number) js("return world.me.id;")).longValue();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void await(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, TIMEOUT).until(driver -> condition.getAsBoolean());
    }
}
