import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_OPERATOR_PASSWORD_LENGTH, Role } from '@bousai/domain';
import type { OperatorEntity } from '@bousai/persistence';

/** An operator account as administrators see it: never its password hash. */
export class OperatorAccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ description: 'a disabled account cannot log in; its sessions were ended' })
  disabled: boolean;
  @ApiProperty({ nullable: true, type: Date }) lastLoginAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: OperatorEntity): OperatorAccountView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      email: e.email,
      displayName: e.displayName,
      role: e.role,
      disabled: e.disabled,
      lastLoginAt: e.lastLoginAt,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class CreateOperatorDto {
  @ApiProperty({ example: 'bousai@city.yasugi.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ enum: Role }) @IsIn(Object.values(Role)) role: Role;
  @ApiProperty({
    minLength: MIN_OPERATOR_PASSWORD_LENGTH,
    maxLength: 200,
    description: 'the first password; stored as an argon2id hash, never returned or logged',
  })
  @IsString()
  @MinLength(MIN_OPERATOR_PASSWORD_LENGTH)
  @MaxLength(200)
  password: string;
  @ApiPropertyOptional({ example: '防災課 山田' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;
}

export class UpdateOperatorDto {
  @ApiPropertyOptional({ enum: Role }) @IsOptional() @IsIn(Object.values(Role)) role?: Role;
  @ApiPropertyOptional({ description: 'true ends every session of the account at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) displayName?: string;
}
