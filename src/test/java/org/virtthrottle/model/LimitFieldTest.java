package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitFieldTest {

    @Test
    void averageOfAMaxFieldIsTheSameDirectionWithoutMax() {
        assertThat(LimitField.TOTAL_BYTES_SEC_MAX.average()).isEqualTo(LimitField.TOTAL_BYTES_SEC);
        assertThat(LimitField.READ_IOPS_SEC_MAX.average()).isEqualTo(LimitField.READ_IOPS_SEC);
    }

    @Test
    void maxOfALengthFieldIsTheSameDirectionsBurstMax() {
        assertThat(LimitField.WRITE_BYTES_SEC_MAX_LENGTH.max()).isEqualTo(LimitField.WRITE_BYTES_SEC_MAX);
        assertThat(LimitField.TOTAL_IOPS_SEC_MAX_LENGTH.max()).isEqualTo(LimitField.TOTAL_IOPS_SEC_MAX);
    }

    @Test
    void optionNameUsesDashes() {
        assertThat(LimitField.TOTAL_BYTES_SEC_MAX_LENGTH.optionName()).isEqualTo("total-bytes-sec-max-length");
        assertThat(LimitField.SIZE_IOPS_SEC.optionName()).isEqualTo("size-iops-sec");
    }

    @Test
    void qemuNameIsTheThrottleLimitsMember() {
        assertThat(LimitField.READ_IOPS_SEC.qemuName()).isEqualTo("iops-read");
        assertThat(LimitField.TOTAL_BYTES_SEC_MAX_LENGTH.qemuName()).isEqualTo("bps-total-max-length");
        assertThat(LimitField.SIZE_IOPS_SEC.qemuName()).isEqualTo("iops-size");
        assertThat(LimitField.WRITE_BYTES_SEC_MAX.qemuName()).isEqualTo("bps-write-max");
    }

    @Test
    void fromXmlNameFindsTheFieldOrNothing() {
        assertThat(LimitField.fromXmlName("read_bytes_sec_max")).isEqualTo(LimitField.READ_BYTES_SEC_MAX);
        assertThat(LimitField.fromXmlName("group_name")).isNull();
        assertThat(LimitField.fromXmlName("READ_BYTES_SEC_MAX")).isNull();
    }

    @Test
    void onlyLengthFieldsAreMaxLengths() {
        assertThat(LimitField.READ_IOPS_SEC_MAX_LENGTH.isMaxLength()).isTrue();
        assertThat(LimitField.READ_IOPS_SEC_MAX.isMaxLength()).isFalse();
    }
}
