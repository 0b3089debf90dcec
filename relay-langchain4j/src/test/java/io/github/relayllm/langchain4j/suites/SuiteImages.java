package io.github.relayllm.langchain4j.suites;

import dev.langchain4j.data.message.ImageContent;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * A base64 PNG drawn here: LangChain4j's suites download theirs from Wikipedia, and the build has no network.
 * The relay refuses images before any server sees them, so the picture itself does not matter.
 */
final class SuiteImages {

    private SuiteImages() {
    }

    static ImageContent base64Png() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff8800);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ImageContent.from(Base64.getEncoder().encodeToString(png.toByteArray()), "image/png");
    }
}
