package io.pitaya.samples.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser page at {@code /} in two windows of headless Chromium: both join, one types, the other reads.
 * The message travels with dictionary route codes and a deflated push body, so the page's client decodes
 * those as well as text routes and plain bodies (join, onMembers, onNewUser). Heartbeats are short, so
 * the page must keep its connection alive on its own.
 * Uses the system's Chromium and chromedriver only (Selenium Manager never downloads a browser); skipped
 * where they are not installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "pitaya.acceptor.tcp.port=0",
        "pitaya.route-dictionary[room.message]=1",
        "pitaya.route-dictionary[onMessage]=2",
        "pitaya.message.compression=true",
        "pitaya.handshake.compression=true",
        "pitaya.heartbeat.interval=1s"})
class ChatPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    // Long enough that the server deflates the onMessage push.
    private static final String MESSAGE = String.join(" ", Collections.nCopies(8, "hello from alice"));

    @LocalServerPort
    private int port;

    @TempDir
    private Path profile;

    private WebDriver browser;

    @BeforeAll
    static void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "no Chromium at " + CHROMIUM + " (Debian: apt-get install chromium chromium-driver)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "no chromedriver at " + CHROMEDRIVER + " (Debian: apt-get install chromium-driver)");
    }

    @BeforeEach
    void startBrowser() {
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aMessageSentInOneWindowAppearsInTheOther() throws InterruptedException {
        String alice = browser.getWindowHandle();
        join("alice");

        browser.switchTo().newWindow(WindowType.WINDOW);
        String bob = browser.getWindowHandle();
        join("bob");
        waitForMessage("Members: ");

        browser.switchTo().window(alice);
        waitForMessage("New user: ");
        browser.findElement(By.id("input")).sendKeys(MESSAGE);
        browser.findElement(By.id("send")).click();
        waitForMessage("alice: " + MESSAGE);

        browser.switchTo().window(bob);
        waitForMessage("alice: " + MESSAGE);

        // The server closes a connection that is silent for two heartbeat intervals: outlive that.
        Thread.sleep(HEARTBEAT.multipliedBy(3).toMillis());
        browser.findElement(By.id("input")).sendKeys("still here");
        browser.findElement(By.id("send")).click();
        browser.switchTo().window(alice);
        waitForMessage("bob: still here");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Joined as alice.");
    }

    private void join(String name) {
        browser.get("http://localhost:" + port + "/");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("join")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Joined as " + name));
    }

    private void waitForMessage(String text) {
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), text));
    }

    private void wait(ExpectedCondition<?> condition) {
        new WebDriverWait(browser, TIMEOUT)
                .withMessage(() -> "page status: '" + browser.findElement(By.id("status")).getText()
                        + "', messages: '" + browser.findElement(By.id("messages")).getText() + "'")
                .until(condition);
    }
}
