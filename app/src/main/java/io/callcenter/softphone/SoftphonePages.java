package io.callcenter.softphone;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring serves index.html only at the site root; the softphone lives in its own folder. */
@Configuration(proxyBeanMethods = false)
class SoftphonePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/softphone").setViewName("redirect:/softphone/");
        registry.addViewController("/softphone/").setViewName("forward:/softphone/index.html");
    }
}
