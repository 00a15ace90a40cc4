import { Module } from '@nestjs/common';
import { ConsoleSettingsController } from './console-settings.controller';

/** The web apps' own routes (their static files are served by `staticSite`, set up in configure-app). */
@Module({ controllers: [ConsoleSettingsController] })
export class WebModule {}
