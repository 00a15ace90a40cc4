import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@yasugi.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token returned by login or the previous refresh (single use).' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken: string;
}

export class OperatorSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ enum: ['admin', 'approver', 'operator', 'viewer'] }) role: string;
}

export class TokenPairDto {
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'JWT (HS256), short-lived' }) accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ description: 'opaque, single use: rotate it with /v1/auth/refresh' }) refreshToken: string;
  @ApiProperty({ type: OperatorSummary }) operator: OperatorSummary;
}
